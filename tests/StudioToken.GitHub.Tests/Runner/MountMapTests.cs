using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Runner;

[TestFixture]
public sealed class MountMapTests
{
    private const string Temp = RunnerMounts.HostTemp;
    private const string Workspace = RunnerMounts.HostWorkspace;

    private static IEnumerable<MountMap> BothOrders()
    {
        yield return new MountMap(RunnerMounts.All);
        yield return new MountMap([.. RunnerMounts.All.Reverse()]);
    }

    [TestCase("/github/runner_temp", Temp)]
    [TestCase("/github/runner_temp/studio-token/get-token-a1b2c3/token", Temp + "/studio-token/get-token-a1b2c3/token")]
    [TestCase("/github/home", Temp + "/_github_home")]
    [TestCase("/github/home/.docker/config.json", Temp + "/_github_home/.docker/config.json")]
    [TestCase("/github/workflow/event.json", Temp + "/_github_workflow/event.json")]
    [TestCase("/github/file_commands/set_env_1234", Temp + "/_runner_file_commands/set_env_1234")]
    [TestCase("/github/workspace", Workspace)]
    [TestCase("/github/workspace/deploy/.tokens", Workspace + "/deploy/.tokens")]
    [TestCase("/var/run/docker.sock", "/var/run/docker.sock")]
    public void ToHost_maps_each_runner_mount(string containerPath, string hostPath)
    {
        foreach (var map in BothOrders())
        {
            Assert.That(map.ToHost(containerPath), Is.EqualTo(hostPath));
        }
    }

    [TestCase(Temp, "/github/runner_temp")]
    [TestCase(Temp + "/studio-token/x", "/github/runner_temp/studio-token/x")]
    [TestCase(Temp + "/_github_home/.config", "/github/home/.config", TestName = "ToContainer_prefers_the_home_mount_over_the_temp_mount_it_sits_in")]
    [TestCase(Temp + "/_github_workflow", "/github/workflow")]
    [TestCase(Temp + "/_runner_file_commands/set_output_1", "/github/file_commands/set_output_1", TestName = "ToContainer_prefers_the_file_commands_mount_over_the_temp_mount_it_sits_in")]
    [TestCase(Workspace + "/.tokens", "/github/workspace/.tokens")]
    [TestCase("/var/run/docker.sock", "/var/run/docker.sock")]
    public void ToContainer_maps_each_runner_mount_with_the_most_specific_winning(string hostPath, string containerPath)
    {
        foreach (var map in BothOrders())
        {
            Assert.That(map.ToContainer(hostPath), Is.EqualTo(containerPath));
        }
    }

    [TestCase("/etc/passwd")]
    [TestCase("/github")]
    [TestCase("/")]
    [TestCase("/github/runner_temp2", TestName = "ToHost_does_not_map_a_sibling_that_only_shares_a_prefix")]
    [TestCase("/github/runner_temp2/x")]
    [TestCase("/github/workspace_other/x")]
    [TestCase("/var/run/docker.sock2")]
    [TestCase("/github/workspace/../../etc/passwd", TestName = "ToHost_does_not_map_a_path_that_climbs_out_of_a_mount")]
    public void ToHost_returns_null_outside_every_mount(string containerPath)
    {
        foreach (var map in BothOrders())
        {
            Assert.That(map.ToHost(containerPath), Is.Null);
        }
    }

    [TestCase("/home/runner/work/repo/other")]
    [TestCase("/home/runner/work")]
    [TestCase(Temp + "2", TestName = "ToContainer_does_not_map_a_sibling_that_only_shares_a_prefix")]
    [TestCase(Workspace + "-fork/x")]
    [TestCase("/tmp/tokens")]
    public void ToContainer_returns_null_outside_every_mount(string hostPath)
    {
        foreach (var map in BothOrders())
        {
            Assert.That(map.ToContainer(hostPath), Is.Null);
        }
    }

    [Test]
    public void A_name_that_only_starts_like_a_nested_mount_falls_back_to_the_enclosing_mount()
    {
        var map = new MountMap(RunnerMounts.All);

        Assert.Multiple(() =>
        {
            Assert.That(map.ToContainer(Temp + "/_github_home2/x"), Is.EqualTo("/github/runner_temp/_github_home2/x"));
            Assert.That(map.ToHost("/github/runner_temp/_github_home/x"), Is.EqualTo(Temp + "/_github_home/x"), "the same file seen through the enclosing mount");
        });
    }

    [TestCase("/github/runner_temp/", Temp)]
    [TestCase("/github/runner_temp//studio-token/", Temp + "/studio-token")]
    [TestCase("/github/workspace/./a/../b", Workspace + "/b")]
    public void ToHost_normalizes_trailing_slashes_and_dots(string containerPath, string hostPath) =>
        Assert.That(new MountMap(RunnerMounts.All).ToHost(containerPath), Is.EqualTo(hostPath));

    [Test]
    public void Mounts_written_with_trailing_slashes_map_like_the_same_mounts_without()
    {
        var map = new MountMap([new(Temp + "/", "/github/runner_temp/"), new(Workspace + "//", "/github/workspace/")]);

        Assert.Multiple(() =>
        {
            Assert.That(map.ToHost("/github/runner_temp/a"), Is.EqualTo(Temp + "/a"));
            Assert.That(map.ToHost("/github/runner_temp"), Is.EqualTo(Temp));
            Assert.That(map.ToContainer(Temp + "/a/"), Is.EqualTo("/github/runner_temp/a"));
            Assert.That(map.ToContainer(Workspace), Is.EqualTo("/github/workspace"));
            Assert.That(map.ToHost("/github/runner_temp2"), Is.Null);
        });
    }

    [Test]
    public void No_mounts_map_nothing()
    {
        var map = new MountMap([]);

        Assert.Multiple(() =>
        {
            Assert.That(map.ToHost("/github/runner_temp"), Is.Null);
            Assert.That(map.ToContainer(Temp), Is.Null);
        });
    }
}
