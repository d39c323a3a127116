using System.Globalization;
using Moq;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Steps;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.Storage;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Steps;

/// <summary>
/// The task's main step in-process against a real OpenIddict server on 127.0.0.1, with the refresher launcher mocked:
/// what it tells the agent, in which order, and what it leaves on disk.
/// </summary>
[TestFixture]
[Platform("Linux")]
// Generous: on two shared cores a cold OpenIddict answers its first requests slowly while other suites run.
[CancelAfter(120_000)]
public sealed class TaskMainTests
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly TestClient Client = TestClient.DefaultBasic;
    private static readonly RefresherHandle Handle = new(4242, new DateTimeOffset(2026, 1, 15, 9, 0, 1, TimeSpan.Zero).AddTicks(1234567));

    private AgentJob _job = null!;

    private static OpenIddictTestServer Server => OpenIddictServer.Instance;

    [SetUp]
    public void SetUp()
    {
        _job = new AgentJob(Server, Client);
        _job.Launcher.Setup(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>())).Returns(Handle);
    }

    [TearDown]
    public void TearDown() => _job.Dispose();

    [Test]
    public async Task Registers_the_client_secret_first_and_the_token_before_any_other_line_holds_it(CancellationToken cancellationToken)
    {
        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var token = Token(run);
        var lines = run.Output.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(AgentOutput.Registers(lines[0], Client.ClientSecret), Is.True, $"the first line registers the client secret: {lines[0]}");
            Assert.That(lines[0], Is.EqualTo("##vso[task.setsecret]basic-secret-Ω1 +%AZP25"), "escaped as task-lib escapes it");
            var first = run.Output.FirstLineContaining(token);
            Assert.That(first, Is.GreaterThan(0));
            Assert.That(AgentOutput.Registers(lines[first], token), Is.True, $"the first line holding the token must register it: {lines[first]}");
        });
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task Sets_the_output_variables_and_puts_studio_token_on_the_PATH(CancellationToken cancellationToken)
    {
        var start = _job.Clock.GetUtcNow();

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var token = run.Output.Variable("STUDIO_TOKEN");
        var tokenFile = run.Output.Variable("STUDIO_TOKEN_FILE");
        var expiresAt = run.Output.Variable("STUDIO_TOKEN_EXPIRES_AT");
        var tokenDir = Path.GetDirectoryName(tokenFile.Data)!;
        Assert.Multiple(() =>
        {
            Assert.That(token.Property("issecret"), Is.EqualTo("true"));
            Assert.That(tokenFile.Property("issecret"), Is.Null);
            Assert.That(expiresAt.Property("issecret"), Is.Null);
            Assert.That(Path.GetFileName(tokenFile.Data), Is.EqualTo("token"));
            Assert.That(Path.GetDirectoryName(tokenDir), Is.EqualTo(Path.Combine(_job.AgentTempDirectory, "studio-token")));
            Assert.That(Path.GetFileName(tokenDir), Does.Match("^[0-9a-f]{8}$"));
            Assert.That(File.ReadAllText(tokenFile.Data), Is.EqualTo(token.Data), "STUDIO_TOKEN_FILE holds the STUDIO_TOKEN token");
            Assert.That(expiresAt.Data, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), "RFC 3339 UTC");
            var expires = DateTimeOffset.Parse(expiresAt.Data, CultureInfo.InvariantCulture);
            Assert.That(expires, Is.InRange(start.AddSeconds(3590), start.AddSeconds(3600)), "the hour the server grants, from when the request was sent");
            Assert.That(TokenMetadata.Parse(File.ReadAllText(Path.Combine(tokenDir, TokenMetadata.FileName))).ExpiresAt, Is.EqualTo(expires));
            Assert.That(run.Output.Named("task.prependpath").Select(c => c.Data), Is.EqualTo(new[] { AgentJob.DefaultProgramDirectory }));
        });
        run.Output.AssertNoLeak(Client.ClientSecret, token.Data);
    }

    [Test]
    public async Task Makes_the_studio_token_launcher_executable_for_later_steps(CancellationToken cancellationToken)
    {
        // A .vsix is a zip: the agent extracts the launcher without its executable bit.
        var programDirectory = _job.Scratch("task");
        Directory.CreateDirectory(programDirectory);
        var launcher = Path.Combine(programDirectory, "studio-token");
        await File.WriteAllTextAsync(launcher, "#!/bin/sh\n", cancellationToken);
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _job.ProgramDirectory = programDirectory;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(File.GetUnixFileMode(launcher), Is.EqualTo(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
        Assert.That(run.Output.Named("task.prependpath").Single().Data, Is.EqualTo(programDirectory));
    }

    [Test]
    public async Task Leaves_an_executable_launcher_as_it_is(CancellationToken cancellationToken)
    {
        var programDirectory = _job.Scratch("task");
        Directory.CreateDirectory(programDirectory);
        var launcher = Path.Combine(programDirectory, "studio-token");
        await File.WriteAllTextAsync(launcher, "#!/bin/sh\n", cancellationToken);
        File.SetUnixFileMode(launcher, PrivateDirectory);
        _job.ProgramDirectory = programDirectory;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(File.GetUnixFileMode(launcher), Is.EqualTo(PrivateDirectory), "owner-only rwx is not widened");
    }

    [Test]
    public async Task Writes_a_token_directory_only_its_owner_can_read(CancellationToken cancellationToken)
    {
        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var tokenDir = TokenDir(run);
        var metadata = File.ReadAllText(Path.Combine(tokenDir, TokenMetadata.FileName));
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(tokenDir), Is.EqualTo(PrivateDirectory));
            Assert.That(File.GetUnixFileMode(Path.Combine(tokenDir, TokenDirectoryWriter.TokenFileName)), Is.EqualTo(PrivateFile));
            Assert.That(File.GetUnixFileMode(Path.Combine(tokenDir, TokenMetadata.FileName)), Is.EqualTo(PrivateFile));
            Assert.That(Directory.GetFileSystemEntries(tokenDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { TokenDirectoryWriter.TokenFileName, TokenMetadata.FileName }));
            Assert.That(TokenMetadata.Parse(metadata).Generation, Is.EqualTo(1));
            Assert.That(TokenMetadata.Parse(metadata).TokenUrl, Is.EqualTo(Server.TokenUrl));
        });
        Assert.That(metadata, Does.Not.Contain(Token(run)), "token.json never holds the token");
    }

    [Test]
    public async Task Records_the_token_dir_for_the_post_job_step_before_the_refresher(CancellationToken cancellationToken)
    {
        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var taskVariables = run.Output.Named("task.settaskvariable").Select(c => (Name: c.Property("variable"), Value: c.Data)).ToList();
        Assert.That(taskVariables, Is.EqualTo(new (string?, string)[]
        {
            (TaskState.TokenDirVariable, TokenDir(run)),
            (TaskState.RefresherPidVariable, "4242"),
            (TaskState.RefresherStartedVariable, Handle.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
        }));
        var environment = run.Output.TaskVariables();
        Assert.That(TaskState.ReadRefresher(name => environment.GetValueOrDefault(name)), Is.EqualTo(Handle));
        run.Output.AssertNoLeak(Client.ClientSecret, Token(run));
    }

    [Test]
    public async Task Starts_the_refresher_once_with_the_settings_and_the_token_dir(CancellationToken cancellationToken)
    {
        _job.Set("refreshAt", "0.6");
        _job.Set("maxLifetime", "2h");

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var tokenDir = TokenDir(run);
        _job.Launcher.Verify(l => l.Start(
            It.Is<TaskSettings>(s =>
                s.Request.TokenUrl == Server.TokenUrl
                && s.Request.ClientId == Client.ClientId
                && s.Request.ClientSecret!.Reveal() == Client.ClientSecret
                && s.Request.Scope == TestScopes.Script
                && s.Refresh
                && s.RefreshPolicy.RefreshAt == 0.6
                && s.MaxLifetime == TimeSpan.FromHours(2)
                && s.RevocationUrl == Server.RevocationUrl),
            tokenDir), Times.Once);
        _job.Launcher.Verify(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.That(run.Output.Lines.Where(l => l.Contains("process 4242", StringComparison.Ordinal)), Is.Not.Empty, "says which process refreshes");
        run.Output.AssertNoLeak(Client.ClientSecret, Token(run));
    }

    [Test]
    public async Task With_refresh_false_it_starts_no_refresher_and_says_when_the_token_expires(CancellationToken cancellationToken)
    {
        _job.Set("refresh", "false");

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        _job.Launcher.Verify(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>()), Times.Never);
        Assert.Multiple(() =>
        {
            Assert.That(run.Output.Named("task.settaskvariable").Select(c => c.Property("variable")), Is.EqualTo(new[] { TaskState.TokenDirVariable }));
            Assert.That(run.Output.Text, Does.Contain("refresh is off").And.Contain(run.Output.Variable("STUDIO_TOKEN_EXPIRES_AT").Data));
            Assert.That(File.Exists(run.Output.Variable("STUDIO_TOKEN_FILE").Data), Is.True);
        });
        run.Output.AssertNoLeak(Client.ClientSecret, Token(run));
    }

    [Test]
    public async Task Writes_into_the_tokenDir_input_when_one_is_given(CancellationToken cancellationToken)
    {
        var tokenDir = _job.Scratch("my tokens");
        _job.Set("tokenDir", tokenDir);

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output.Variable("STUDIO_TOKEN_FILE").Data, Is.EqualTo(Path.Combine(tokenDir, TokenDirectoryWriter.TokenFileName)));
        Assert.That(Directory.Exists(Path.Combine(_job.AgentTempDirectory, "studio-token")), Is.False);
        run.Output.AssertNoLeak(Client.ClientSecret, Token(run));
    }

    [Test]
    public async Task Takes_the_url_and_credentials_from_a_service_connection(CancellationToken cancellationToken)
    {
        const string connection = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
        var client = TestClient.DefaultPost;
        _job.Environment.Remove("INPUT_TOKENURL");
        _job.Environment.Remove("INPUT_CLIENTID");
        _job.Environment.Remove("INPUT_CLIENTSECRET");
        _job.Environment.Remove("INPUT_SCOPE");
        _job.Environment.Remove("INPUT_REVOCATIONURL");
        _job.Set("clientAuth", "client_secret_post");
        _job.Set("connectedService", connection);
        _job.Environment["ENDPOINT_URL_" + connection] = Server.TokenUrl.AbsoluteUri;
        _job.Environment[$"ENDPOINT_AUTH_PARAMETER_{connection}_USERNAME"] = client.ClientId;
        _job.Environment[$"ENDPOINT_AUTH_PARAMETER_{connection}_PASSWORD"] = client.ClientSecret;
        _job.Environment[$"ENDPOINT_DATA_{connection}_SCOPE"] = TestScopes.Script;
        _job.Environment[$"ENDPOINT_DATA_{connection}_REVOCATIONURL"] = Server.RevocationUrl.AbsoluteUri;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(AgentOutput.Registers(run.Output.Lines[0], client.ClientSecret), Is.True, "the connection's password is registered first");
        _job.Launcher.Verify(l => l.Start(It.Is<TaskSettings>(s => s.Request.ClientId == client.ClientId && s.RevocationUrl == Server.RevocationUrl), It.IsAny<string>()), Times.Once);
        Assert.That(await TokenIntrospection.IsActiveAsync(Server, client, Token(run), cancellationToken), Is.True);
        run.Output.AssertNoLeak(client.ClientSecret, Token(run));
    }

    [Test]
    public async Task Registers_both_the_input_secret_and_the_connection_password_before_anything_else(CancellationToken cancellationToken)
    {
        const string connection = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6";
        const string connectionPassword = "unused-connection-p%ss;word]";
        _job.Set("connectedService", connection);
        _job.Environment["ENDPOINT_URL_" + connection] = "https://unused.example.com/token";
        _job.Environment[$"ENDPOINT_AUTH_PARAMETER_{connection}_USERNAME"] = "unused-client";
        _job.Environment[$"ENDPOINT_AUTH_PARAMETER_{connection}_PASSWORD"] = connectionPassword;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(AgentOutput.Registers(run.Output.Lines[0], Client.ClientSecret), Is.True, run.ToString());
        Assert.That(AgentOutput.Registers(run.Output.Lines[1], connectionPassword), Is.True, run.ToString());
        run.Output.AssertNoLeak(Client.ClientSecret, Token(run));
        run.Output.AssertNoLeak(connectionPassword);
    }

    [Test]
    public async Task A_refresher_that_fails_to_start_fails_the_step_after_recording_the_token_dir_for_cleanup(CancellationToken cancellationToken)
    {
        _job.Launcher.Setup(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>())).Throws(new InvalidOperationException("cannot tell which program to start as the refresher"));

        // The CLI's entry point turns the exception into an error issue and exit 1.
        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => _job.MainAsync(cancellationToken));

        Assert.That(failure!.Message, Does.Contain("refresher"));
        var main = _job.LastOutput!;
        var tokenDir = Path.GetDirectoryName(main.Variable("STUDIO_TOKEN_FILE").Data)!;
        Assert.That(main.TaskVariables(), Does.ContainKey("VSTS_TASKVARIABLE_STUDIOTOKENDIR").WithValue(tokenDir));
        main.AssertNoLeak(Client.ClientSecret, main.Variable("STUDIO_TOKEN").Data);

        var post = await _job.PostAsync(main.TaskVariables(), cancellationToken);

        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(Directory.Exists(tokenDir), Is.False, "the post-job step still cleans up");
        Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, main.Variable("STUDIO_TOKEN").Data, cancellationToken), Is.False);
    }

    [Test]
    public async Task Bad_inputs_exit_1_with_one_error_issue_each_and_nothing_sent_or_written(CancellationToken cancellationToken)
    {
        _job.Environment.Remove("INPUT_CLIENTID");
        _job.Set("refreshAt", "1.5");
        _job.Set("maxLifetime", "forever");
        _job.Set("revocationUrl", "http://revoke.example.com/revoke");
        _job.Set("tokenDir", "relative/tokens");
        _job.Set("refresh", "maybe");
        var requestsBefore = Server.TokenRequestCount;

        var run = await _job.MainAsync(cancellationToken);

        var errors = run.Output.Issues("error").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(errors, Has.Count.EqualTo(6), run.ToString());
            foreach (var input in new[] { "clientId", "refreshAt", "maxLifetime", "revocationUrl", "tokenDir", "refresh" })
            {
                Assert.That(errors.Count(e => e.StartsWith($"studio-token: input {input}: ", StringComparison.Ordinal)), Is.EqualTo(1), $"one error for {input}");
            }

            Assert.That(run.Output.Lines.Skip(1), Has.All.StartWith("##vso[task.logissue type=error]"), "nothing but the secret and the errors");
            Assert.That(Server.TokenRequestCount, Is.EqualTo(requestsBefore), "nothing is sent");
            Assert.That(Directory.GetFileSystemEntries(_job.AgentTempDirectory), Is.Empty, "nothing is written");
        });
        _job.Launcher.VerifyNoOtherCalls();
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    [Test]
    public async Task A_secret_pasted_into_another_input_is_masked_in_its_error(CancellationToken cancellationToken)
    {
        _job.Set("tokenUrl", Client.ClientSecret);

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output.Issues("error").Single(), Does.StartWith("studio-token: input tokenUrl: '***'"));
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    [TestCase("SYSTEM_ACCESSTOKEN", "SYSTEM_ACCESSTOKEN: $(System.AccessToken)")]
    [TestCase("SYSTEM_OIDCREQUESTURI", "System.OidcRequestUri")]
    public async Task Azure_oidc_without_what_the_agent_gives_exits_1_with_one_line_and_writes_nothing(string missing, string named, CancellationToken cancellationToken)
    {
        const string connection = "3f2c9d4e-7b1a-4c2e-8d90-0a1b2c3d4e5f";
        const string accessToken = "job-access-token-%;]Zz9";
        _job.Environment.Remove("INPUT_CLIENTSECRET");
        _job.Set("clientAuth", "azure_oidc");
        _job.Set("oidcServiceConnection", connection);
        _job.Environment["ENDPOINT_URL_" + connection] = "https://management.azure.com/";
        _job.Environment["SYSTEM_OIDCREQUESTURI"] = "https://dev.azure.com/org/_apis/distributedtask/oidctoken";
        _job.Environment["SYSTEM_ACCESSTOKEN"] = accessToken;
        _job.Environment.Remove(missing);
        var requestsBefore = Server.TokenRequestCount;

        var run = await _job.MainAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output.Issues("error").Single(), Does.StartWith("studio-token: input clientAuth: ").And.Contain(named));
            Assert.That(Server.TokenRequestCount, Is.EqualTo(requestsBefore), "nothing is sent");
            Assert.That(Directory.GetFileSystemEntries(_job.AgentTempDirectory), Is.Empty, "nothing is written");
        });
        _job.Launcher.Verify(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>()), Times.Never);
        run.Output.AssertNoLeak(accessToken);
    }

    [Test]
    public async Task An_unexpanded_secret_variable_exits_1_naming_the_variable(CancellationToken cancellationToken)
    {
        _job.Set("clientSecret", "$(STUDIO_CLIENT_SECRET)");

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output.Issues("error").Single(), Does.StartWith("studio-token: input clientSecret:").And.Contain("no variable STUDIO_CLIENT_SECRET is defined"));
        _job.Launcher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Without_an_agent_temp_directory_or_a_tokenDir_it_exits_1(CancellationToken cancellationToken)
    {
        _job.Environment.Remove("AGENT_TEMPDIRECTORY");
        var requestsBefore = Server.TokenRequestCount;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output.Issues("error").Single(), Does.Contain("AGENT_TEMPDIRECTORY").And.Contain("tokenDir"));
        Assert.That(Server.TokenRequestCount, Is.EqualTo(requestsBefore), "nothing is sent");
        _job.Launcher.VerifyNoOtherCalls();
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    [Test]
    public async Task A_wrong_secret_exits_2_with_an_error_naming_invalid_client(CancellationToken cancellationToken)
    {
        const string wrongSecret = "wrong-secret-%+Ω";
        _job.Set("clientSecret", wrongSecret);
        var requestsBefore = Server.TokenRequestCount;

        var run = await _job.MainAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Output.Issues("error").Single(), Does.Contain("invalid_client"));
            Assert.That(Server.TokenRequestCount - requestsBefore, Is.EqualTo(1), "a rejection is not retried");
            Assert.That(run.Output.Named("task.setvariable"), Is.Empty);
            Assert.That(run.Output.Named("task.settaskvariable"), Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(_job.AgentTempDirectory), Is.Empty, "nothing is written");
        });
        _job.Launcher.VerifyNoOtherCalls();
        run.Output.AssertNoLeak(wrongSecret);
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    [Test]
    public async Task An_unreachable_endpoint_exits_3_after_backing_off_between_five_attempts(CancellationToken cancellationToken)
    {
        using var closed = new ClosedLoopbackPort();
        _job.Set("tokenUrl", closed.Url("api/v2/oauth/token").AbsoluteUri);

        var running = _job.MainAsync(cancellationToken);
        var backoffs = await ClockDriving.AdvanceBackoffsUntilDoneAsync(_job.Clock, running, TimeSpan.FromSeconds(30), cancellationToken);
        var run = await running;

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
            // Full jitter with every draw at 0.5: half of 1, 2, 4 and 8 seconds.
            Assert.That(backoffs, Is.EqualTo(new[] { 0.5, 1, 2, 4 }.Select(TimeSpan.FromSeconds)));
            Assert.That(run.Output.Issues("warning").ToList(), Has.Count.EqualTo(4).And.All.Contain("127.0.0.1"));
            Assert.That(run.Output.Issues("error").Single(), Does.Contain("gave up after 5 attempts"));
            Assert.That(run.Output.Named("task.setvariable"), Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(_job.AgentTempDirectory), Is.Empty, "nothing is written");
        });
        _job.Launcher.VerifyNoOtherCalls();
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    private static string Token(StepRun run) => run.Output.Variable("STUDIO_TOKEN").Data;

    private static string TokenDir(StepRun run) => Path.GetDirectoryName(run.Output.Variable("STUDIO_TOKEN_FILE").Data)!;
}
