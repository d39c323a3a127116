using Moq;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Steps;

/// <summary>
/// The post-job step in-process after a real main step against OpenIddict on 127.0.0.1, fed the task variables the
/// main step left as the agent hands them over: it stops the refresher, revokes the last token, deletes the token
/// directory and reports, and every problem on the way is a warning.
/// </summary>
[TestFixture]
[Platform("Linux")]
[CancelAfter(120_000)]
public sealed class TaskPostTests
{
    private static readonly TestClient Client = TestClient.DefaultBasic;
    private static readonly RefresherHandle Handle = new(31337, new DateTimeOffset(2026, 1, 15, 11, 0, 1, TimeSpan.FromHours(2)).AddTicks(7654321));

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
    public async Task Without_task_variables_there_is_nothing_to_clean_up(CancellationToken cancellationToken)
    {
        var run = await _job.PostAsync(new Dictionary<string, string>(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output.Text, Does.Contain("nothing to clean up"));
            Assert.That(run.Output.Issues("warning"), Is.Empty);
            Assert.That(AgentOutput.Registers(run.Output.Lines[0], Client.ClientSecret), Is.True);
        });
        _job.Launcher.VerifyNoOtherCalls();
        run.Output.AssertNoLeak(Client.ClientSecret);
    }

    [Test]
    public async Task Stops_the_refresher_revokes_the_last_token_deletes_the_directory_and_reports_the_history(CancellationToken cancellationToken)
    {
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(tokenDir, RefresherProcess.LogFileName),
        [
            "studio-token refresh: keeping the token fresh",
            "refreshed: generation 2, expires 2026-01-15T10:30:00Z, next refresh in 30m",
            "warning: refresh failed: token endpoint answered 400 invalid_request: ##vso[task.setvariable variable=EVIL]1; keeping the current token, next try in 5m",
            "refreshed: generation 3, expires 2026-01-15T11:00:00Z, next refresh in 30m",
        ], cancellationToken);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("stopped");
        Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.True, "the token must be live before the post step");

        var run = await _job.PostAsync(main, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.False, "the server must know the token as revoked");
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(run.Output.Text, Does.Contain("refresher (process 31337) stopped"));
            Assert.That(run.Output.Text, Does.Contain("refreshed 2 times; 1 refreshes failed"));
            Assert.That(run.Output.Lines, Has.Some.EqualTo("  refreshed: generation 3, expires 2026-01-15T11:00:00Z, next refresh in 30m"));
            Assert.That(run.Output.Issues("warning"), Has.Some.Contain("1 refreshes failed during the job"));
            Assert.That(run.Output.Text, Does.Contain("revocation: revoked"));
            Assert.That(run.Output.Named("task.setvariable"), Is.Empty, "a line of the refresher's log cannot set a variable");
            Assert.That(run.Output.Issues("error"), Is.Empty);
        }
        _job.Launcher.Verify(l => l.StopAsync(Handle, It.IsAny<CancellationToken>()), Times.Once);
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task A_refresher_that_cannot_be_stopped_is_a_warning_and_the_cleanup_goes_on(CancellationToken cancellationToken)
    {
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("cannot signal the process"));

        var run = await _job.PostAsync(main, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output.Issues("warning"), Has.Some.Contain("could not stop the refresher (process 31337)").And.Some.Contain("cannot signal the process"));
            Assert.That(run.Output.Issues("error"), Is.Empty);
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.False);
        }
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task A_revocation_endpoint_that_is_down_is_a_warning_and_the_cleanup_goes_on(CancellationToken cancellationToken)
    {
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("stopped");
        using var closed = new ClosedLoopbackPort();
        _job.Set("revocationUrl", closed.Url("api/v2/oauth/revoke").AbsoluteUri);

        var running = _job.PostAsync(main, cancellationToken);
        var backoffs = await ClockDriving.AdvanceBackoffsUntilDoneAsync(_job.Clock, running, TimeSpan.FromSeconds(30), cancellationToken);
        var run = await running;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(backoffs, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }), "a refused connection is tried three times");
            Assert.That(run.Output.Issues("warning"), Has.Some.Contain("could not revoke").And.Some.Contain("127.0.0.1"));
            Assert.That(run.Output.Issues("error"), Is.Empty);
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.True, "nothing revoked it");
        }
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task Without_a_refresher_it_stops_nothing_and_still_revokes_and_deletes(CancellationToken cancellationToken)
    {
        _job.Set("refresh", "false");
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);

        var run = await _job.PostAsync(main, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.False);
            Assert.That(run.Output.Text, Does.Not.Contain("the refresher refreshed"), "no refresher log, no history");
            Assert.That(run.Output.Issues("warning"), Is.Empty);
        }
        _job.Launcher.Verify(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>()), Times.Never);
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task With_revoke_false_the_token_stays_active_and_the_directory_goes(CancellationToken cancellationToken)
    {
        _job.Set("revoke", "false");
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("had already stopped");

        var run = await _job.PostAsync(main, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.True);
            Assert.That(run.Output.Text, Does.Contain("revocation: off"));
        }
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task A_token_directory_already_gone_is_a_warning_not_a_failure(CancellationToken cancellationToken)
    {
        var (main, token, tokenDir) = await RunMainAsync(cancellationToken);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("had already stopped");
        Directory.Delete(tokenDir, recursive: true);

        var run = await _job.PostAsync(main, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output.Issues("warning").ToList(), Has.Count.EqualTo(1), run.ToString());
            Assert.That(run.Output.Text, Does.Contain("no token").And.Contain("revocation: skipped"));
        });
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task Files_that_were_in_the_tokenDir_before_the_task_survive_the_post_job_step(CancellationToken cancellationToken)
    {
        var tokenDir = _job.Scratch("workspace");
        Directory.CreateDirectory(tokenDir);
        var keep = Path.Combine(tokenDir, "build-output.txt");
        await File.WriteAllTextAsync(keep, "not the task's", cancellationToken);
        _job.Set("tokenDir", tokenDir);
        _job.Set("refresh", "false");

        var main = await _job.MainAsync(cancellationToken);
        if (main.ExitCode == 0)
        {
            var post = await _job.PostAsync(main, cancellationToken);
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
        }

        Assert.That(File.Exists(keep), Is.True, "either main refuses a directory that is not its own, or post deletes only what the task wrote");
    }

    /// <summary>A real main step, checked, so each post test starts from what the agent would hand it.</summary>
    [Test]
    public async Task With_only_an_issuer_main_discovers_the_endpoints_hands_them_on_and_post_revokes_where_the_token_came_from(CancellationToken cancellationToken)
    {
        _job.Environment.Remove("INPUT_TOKENURL");
        _job.Environment.Remove("INPUT_REVOCATIONURL");
        _job.Set("issuer", Server.BaseUrl.AbsoluteUri);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("stopped");

        var (main, token, _) = await RunMainAsync(cancellationToken);
        var run = await _job.PostAsync(main, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(main.Output.Text, Does.Contain($"names the token endpoint {Server.TokenUrl.AbsoluteUri} (client_secret_basic) and the revocation endpoint {Server.RevocationUrl.AbsoluteUri}"));
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output.Text, Does.Contain("revocation: revoked"), run.ToString());
            Assert.That(await TokenIntrospection.IsActiveAsync(Server, Client, token, cancellationToken), Is.False, "the server must know the token as revoked");
        }

        // The refresher asks where main did, without discovering again.
        _job.Launcher.Verify(l => l.Start(It.Is<TaskSettings>(s => s.Request.TokenUrl == Server.TokenUrl && s.RevocationUrl == Server.RevocationUrl), It.IsAny<string>()), Times.Once);
        run.Output.AssertNoLeak(Client.ClientSecret, token);
    }

    [Test]
    public async Task An_issuer_without_metadata_exits_3_with_one_error_naming_both_places_looked_and_writes_nothing(CancellationToken cancellationToken)
    {
        _job.Environment.Remove("INPUT_TOKENURL");
        _job.Set("issuer", new Uri(Server.BaseUrl, "no-such-tenant").AbsoluteUri);

        var main = await _job.MainAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(main.ExitCode, Is.EqualTo(3), main.ToString());
            Assert.That(main.Output.Issues("error").Count(), Is.EqualTo(1));
            Assert.That(main.Output.Issues("error").Single(), Does.Contain("found no authorization server metadata").And.Contain("/.well-known/oauth-authorization-server/no-such-tenant").And.Contain("/no-such-tenant/.well-known/openid-configuration"));
            Assert.That(main.Output.TaskVariables(), Is.Empty, "nothing for the post-job step to clean up");
        }

        _job.Launcher.Verify(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>()), Times.Never);
        main.Output.AssertNoLeak(Client.ClientSecret);
    }

    private async Task<(StepRun Main, string Token, string TokenDir)> RunMainAsync(CancellationToken cancellationToken)
    {
        var main = await _job.MainAsync(cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var token = main.Output.Variable("STUDIO_TOKEN").Data;
        var tokenDir = Path.GetDirectoryName(main.Output.Variable("STUDIO_TOKEN_FILE").Data)!;
        Assert.That(Directory.Exists(tokenDir), Is.True);
        return (main, token, tokenDir);
    }
}
