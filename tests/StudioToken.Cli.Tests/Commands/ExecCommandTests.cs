using StudioToken.LocalEndpoint;
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
    public async Task Revokes_the_last_token_at_the_revocation_url_after_the_command_ends_authenticated_like_the_token_request()
    {
        await using var revocation = RevocationEndpoint();
        revocation.EnqueueFault(new EndpointFault.RawResponse(200, string.Empty, string.Empty));
        var report = Path.GetTempFileName();

        var run = await CliHarness.RunAsync(
            ["exec", "--revocation-url", revocation.TokenUrl.AbsoluteUri, "--client-auth", "client_secret_post", "--", "/bin/sh", "-c", $"printf %s \"$STUDIO_TOKEN\" > {report}; exit 5"],
            Environment());

        var token = await File.ReadAllTextAsync(report);
        File.Delete(report);
        var revoked = revocation.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
            Assert.That(revoked.Method, Is.EqualTo("POST"));
            Assert.That(revoked.Form, Is.EqualTo(new KeyValuePair<string, string>[]
            {
                new("token", token),
                new("token_type_hint", "access_token"),
                new("client_id", "cli-client"),
                new("client_secret", ClientSecret),
            }));
            Assert.That(run.Error, Does.Contain($"studio-token: revoked the last token at {revocation.TokenUrl}"));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
        SecretScan.AssertAbsent(run.AllText, token, "the token");
    }

    [TestCase("--no-revoke", null)]
    [TestCase(null, "false")]
    public async Task Leaves_the_token_alone_when_told_not_to_revoke(string? flag, string? variable)
    {
        await using var revocation = RevocationEndpoint();
        var environment = Environment(("STUDIO_REVOCATION_URL", revocation.TokenUrl.AbsoluteUri));
        if (variable is not null)
        {
            environment["STUDIO_REVOKE"] = variable;
        }

        string[] arguments = flag is null ? ["exec", "--", "/bin/true"] : ["exec", flag, "--", "/bin/true"];
        var run = await CliHarness.RunAsync(arguments, environment);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(revocation.RequestCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_failed_revocation_is_one_warning_and_the_exit_code_stays_the_commands()
    {
        await using var revocation = RevocationEndpoint();
        revocation.EnqueueFault(new EndpointFault.RawResponse(400, "application/json", """{"error":"unsupported_token_type"}"""));

        var run = await CliHarness.RunAsync(["exec", "--revocation-url", revocation.TokenUrl.AbsoluteUri, "--", "/bin/sh", "-c", "exit 7"], Environment());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
            Assert.That(run.Error.Split('\n').Where(line => line.Contains("revoke", StringComparison.Ordinal)), Is.EqualTo(new[] { "studio-token: warning: could not revoke the last token: revocation endpoint answered 400 BadRequest" }));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task A_revocation_url_over_plain_http_to_another_host_exits_1_before_anything_runs()
    {
        var run = await CliHarness.RunAsync(["exec", "--revocation-url", "http://studio.example.com/revoke", "--", "/bin/true"], Environment());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.Trim(), Does.StartWith("studio-token: error: --revocation-url: 'http://studio.example.com/revoke' uses http:// to a host that is not loopback"));
        });
    }

    [Test]
    public async Task Does_not_run_the_command_when_no_token_can_be_had()
    {
        var marker = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", $"touch {marker}"], Environment(("STUDIO_CLIENT_SECRET", "wrong")));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(File.Exists(marker), Is.False);
    }

    /// <summary>Records what reaches <c>/revoke</c>; answers as scripted with faults.</summary>
    private static LocalTokenEndpoint RevocationEndpoint() =>
        LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = "unused", Path = "/revoke" });
}
