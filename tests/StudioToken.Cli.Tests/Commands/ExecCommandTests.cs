using StudioToken.Testing;

namespace StudioToken.Cli.Tests.Commands;

[Platform("Linux")]
public sealed class ExecCommandTests : EndpointFixture
{
    [Test]
    public async Task Runs_the_command_with_the_token_and_its_file_but_not_the_secret()
    {
        var report = Path.GetTempFileName();
        var script = "test -n \"$STUDIO_TOKEN\" && test \"$(cat \"$STUDIO_TOKEN_FILE\")\" = \"$STUDIO_TOKEN\" && echo \"file=$STUDIO_TOKEN_FILE secret=${STUDIO_CLIENT_SECRET:-none}\" > " + report;

        var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", script], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var line = (await File.ReadAllTextAsync(report)).Trim();
        File.Delete(report);
        Assert.That(line, Does.EndWith("secret=none"));
        var tokenFile = line.Split(' ')[0]["file=".Length..];
        Assert.That(File.Exists(tokenFile), Is.False, "exec deletes the temporary token directory it made");
    }

    [Test]
    public async Task Passes_the_command_exit_code_through()
    {
        var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", "exit 7"], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
    }

    [Test]
    public async Task A_command_that_does_not_exist_exits_1()
    {
        var run = await CliHarness.RunAsync(["exec", "--", "/nonexistent/tool"], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("cannot run '/nonexistent/tool'"));
    }

    [Test]
    public async Task Does_not_run_the_command_when_no_token_can_be_had()
    {
        var marker = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", $"touch {marker}"], Environment(("STUDIO_CLIENT_SECRET", "wrong")));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(File.Exists(marker), Is.False);
    }
}
