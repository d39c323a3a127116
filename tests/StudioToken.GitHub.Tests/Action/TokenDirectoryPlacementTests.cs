using System.Text.RegularExpressions;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Action;

[TestFixture]
public sealed class TokenDirectoryPlacementTests
{
    private const string ContainerTemp = "/github/runner_temp";

    private static TokenDirectoryPlacement Choose(string? requested, string? stepId = "get-token", IReadOnlyList<Mount>? mounts = null) =>
        TokenDirectoryPlacement.Choose(requested, mounts ?? RunnerMounts.All, ContainerTemp, stepId);

    [TestCase("get-token", "get-token")]
    [TestCase("__studio-token-action", "studio-token-action", TestName = "Strips_the_underscores_the_runner_puts_before_an_unnamed_steps_id")]
    [TestCase("a/b c.d;e", "a_b_c_d_e")]
    [TestCase("../../etc", "etc")]
    [TestCase("___", "step")]
    [TestCase(null, "step")]
    [TestCase("", "step")]
    public void Default_goes_under_the_container_runner_temp_with_a_sanitized_step_id_and_a_random_suffix(string? stepId, string expectedName)
    {
        var placement = Choose(null, stepId);

        Assert.That(placement.ContainerPath, Is.Not.Null);
        var leaf = Path.GetFileName(placement.ContainerPath!);
        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Is.Null);
            Assert.That(placement.ContainerPath, Is.EqualTo($"{ContainerTemp}/studio-token/{leaf}"));
            Assert.That(leaf, Does.Match($"^{Regex.Escape(expectedName)}-[0-9a-f]{{6}}$"));
            Assert.That(placement.HostPath, Is.EqualTo($"{RunnerMounts.HostTemp}/studio-token/{leaf}"));
        });
    }

    [Test]
    public void Default_differs_between_two_uses_in_the_same_job()
    {
        var first = Choose(null);
        var second = Choose(null);

        Assert.That(first.ContainerPath, Is.Not.EqualTo(second.ContainerPath));
    }

    [Test]
    public void Default_follows_the_host_path_the_engine_reports_for_the_runner_temp()
    {
        var placement = Choose(null, mounts: [new("/srv/actions-runner/_work/_temp", ContainerTemp)]);

        Assert.That(placement.HostPath, Does.StartWith("/srv/actions-runner/_work/_temp/studio-token/get-token-"));
    }

    [TestCase(RunnerMounts.HostWorkspace + "/.tokens", "/github/workspace/.tokens")]
    [TestCase(RunnerMounts.HostWorkspace + "/deploy/tokens/", "/github/workspace/deploy/tokens")]
    [TestCase(RunnerMounts.HostTemp + "/my-tokens", ContainerTemp + "/my-tokens")]
    [TestCase(RunnerMounts.HostTemp + "/_github_home/tokens", "/github/home/tokens")]
    public void A_requested_host_path_under_a_mount_is_mapped_inside(string requested, string inside)
    {
        var placement = Choose(requested);

        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Is.Null);
            Assert.That(placement.ContainerPath, Is.EqualTo(inside));
            Assert.That(placement.HostPath, Is.EqualTo(Path.GetFullPath(requested)));
            Assert.That(new MountMap(RunnerMounts.All).ToHost(placement.ContainerPath!), Is.EqualTo(Path.GetFullPath(requested).TrimEnd('/')));
        });
    }

    [TestCase("/tmp/tokens")]
    [TestCase("/home/runner/tokens")]
    [TestCase(RunnerMounts.HostTemp + "2/tokens")]
    [TestCase(RunnerMounts.HostWorkspace + "/../../../etc")]
    public void A_requested_path_outside_every_mount_is_an_error_naming_token_dir(string requested)
    {
        var placement = Choose(requested);

        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Does.StartWith("token-dir:").And.Contain("RUNNER_TEMP"));
            Assert.That(placement.ContainerPath, Is.Null);
            Assert.That(placement.HostPath, Is.Null);
        });
    }

    [Test]
    public void Without_mounts_the_default_is_an_error()
    {
        var placement = Choose(null, mounts: []);

        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Does.Contain(ContainerTemp));
            Assert.That(placement.ContainerPath, Is.Null);
            Assert.That(placement.HostPath, Is.Null);
        });
    }

    [Test]
    public void Without_mounts_a_requested_path_is_an_error_naming_token_dir()
    {
        var placement = Choose(RunnerMounts.HostTemp + "/tokens", mounts: []);

        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Does.StartWith("token-dir:"));
            Assert.That(placement.ContainerPath, Is.Null);
        });
    }

    [Test]
    public void Without_a_runner_temp_mount_the_default_is_an_error()
    {
        var placement = Choose(null, mounts: [new(RunnerMounts.HostWorkspace, "/github/workspace")]);

        Assert.Multiple(() =>
        {
            Assert.That(placement.Error, Is.Not.Null);
            Assert.That(placement.HostPath, Is.Null);
        });
    }
}
