using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Action;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>
/// The action's post step in-process against a real OpenIddict server: it revokes the last token, deletes the token
/// directory and reports, and every problem on the way is a warning. No Docker: the state names no refresher.
/// </summary>
/// <remarks>
/// Its own server, not the assembly's: that one issues 4-second tokens, and a first request on a cold, busy machine
/// can take longer than that, so "still active afterwards" and "revoked, not skipped as expired" would be races.
/// </remarks>
[SupportedOSPlatform("linux")]
[Platform("Linux")]
// Generous: on two shared cores a cold OpenIddict answers its first requests slowly while other suites run.
[CancelAfter(120_000)]
public sealed class ActionPostTests
{
    private static readonly TestClient Client = TestClient.DefaultBasic;

    private OpenIddictTestServer _server = null!;
    private string _root = null!;
    private string _tokenDirectory = null!;
    private string _summaryFile = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromHours(1) });

        // The first token request warms the server (JIT, key material) so no test pays for it against its timeout.
        using var http = TokenClient.CreateHttpClient();
        var warmUp = new TokenRequest { TokenUrl = _server.TokenUrl, ClientId = Client.ClientId, ClientSecret = new Secret(Client.ClientSecret), Scope = TestScopes.Script, RequestTimeout = TimeSpan.FromMinutes(2) };
        await new TokenClient(http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(warmUp, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateDirectories()
    {
        _root = Path.Combine(Path.GetTempPath(), "studio-token-post", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        _tokenDirectory = Path.Combine(_root, "token-dir");
        _summaryFile = Path.Combine(_root, "step-summary.md");
        File.WriteAllText(_summaryFile, string.Empty);
    }

    [TearDown]
    public void DeleteDirectories()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task Revokes_the_last_token_deletes_the_directory_and_reports_the_history(CancellationToken cancellationToken)
    {
        var token = await PublishTokenAsync(cancellationToken);
        Assert.That(await IsActiveAsync(token, cancellationToken), Is.True, "the token must be live before the post step");
        using var output = new StringWriter();

        var exitCode = await new ActionPost(Context(RunnerEnvironment(), output, TimeProvider.System)).RunAsync(cancellationToken);

        var summary = await File.ReadAllTextAsync(_summaryFile, cancellationToken);
        var lines = Lines(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output.ToString());
            Assert.That(await IsActiveAsync(token, cancellationToken), Is.False, "the server must know the token as revoked");
            Assert.That(Directory.Exists(_tokenDirectory), Is.False);
            Assert.That(summary, Does.Contain("refresh history").And.Contain("revoked"));
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines.FirstOrDefault(), Is.EqualTo("::add-mask::" + EscapedAsWorkflowCommandData(Client.ClientSecret)), "the secret is masked before anything else is printed");
        }

        SecretScan.AssertAbsent(summary, token, "the token");
        SecretScan.AssertAbsent(summary, Client.ClientSecret, "the client secret");
        AssertNothingUnmasked(lines, token);
    }

    [Test]
    public async Task With_revoke_false_it_leaves_the_token_active(CancellationToken cancellationToken)
    {
        var token = await PublishTokenAsync(cancellationToken);
        var environment = RunnerEnvironment();
        environment["INPUT_REVOKE"] = "false";
        using var output = new StringWriter();

        var exitCode = await new ActionPost(Context(environment, output, TimeProvider.System)).RunAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output.ToString());
            Assert.That(await IsActiveAsync(token, cancellationToken), Is.True);
            Assert.That(Directory.Exists(_tokenDirectory), Is.False);
        }

        AssertNothingUnmasked(Lines(output), token);
    }

    [Test]
    public async Task A_failing_revocation_endpoint_is_a_warning_not_a_failure(CancellationToken cancellationToken)
    {
        var token = await PublishTokenAsync(cancellationToken);
        var environment = RunnerEnvironment();
        environment["INPUT_REVOCATION-URL"] = "http://127.0.0.1:9/revoke"; // discard port: nothing listens, connect is refused
        var clock = new TimerDrivenClock(TimeProvider.System.GetUtcNow());
        using var output = new StringWriter();

        var running = new ActionPost(Context(environment, output, clock)).RunAsync(cancellationToken);
        var backoffs = await AdvanceBackoffsUntilDoneAsync(clock, running, cancellationToken);
        var exitCode = await running;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output.ToString());
            Assert.That(output.ToString(), Does.Contain("::warning::").And.Contain("could not revoke"));
            Assert.That(backoffs, Is.Not.Empty, "a refused connection is transient and is tried again");
            Assert.That(Directory.Exists(_tokenDirectory), Is.False);
        }

        AssertNothingUnmasked(Lines(output), token);
    }

    [Test]
    public async Task Without_state_it_does_nothing_and_succeeds(CancellationToken cancellationToken)
    {
        var token = await PublishTokenAsync(cancellationToken);
        var environment = RunnerEnvironment();
        environment.Remove("STATE_" + ActionState.Name);
        using var output = new StringWriter();

        var exitCode = await new ActionPost(Context(environment, output, TimeProvider.System)).RunAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output.ToString());
            Assert.That(File.Exists(Path.Combine(_tokenDirectory, TokenDirectoryWriter.TokenFileName)), Is.True);
            Assert.That(File.Exists(Path.Combine(_tokenDirectory, TokenMetadata.FileName)), Is.True);
        }

        AssertNothingUnmasked(Lines(output), token);
    }

    /// <summary>What the runner hands the post step: the inputs again, the state main saved, the summary file.</summary>
    private Dictionary<string, string> RunnerEnvironment() => new()
    {
        ["STATE_" + ActionState.Name] = new ActionState(_tokenDirectory, _tokenDirectory, RefresherId: null).ToJson(),
        ["INPUT_TOKEN-URL"] = _server.TokenUrl.AbsoluteUri,
        ["INPUT_CLIENT-ID"] = Client.ClientId,
        ["INPUT_CLIENT-SECRET"] = Client.ClientSecret,
        ["INPUT_REVOCATION-URL"] = _server.RevocationUrl.AbsoluteUri,
        ["GITHUB_STEP_SUMMARY"] = _summaryFile,
        ["GITHUB_ACTIONS"] = "true",
    };

    private static ActionContext Context(Dictionary<string, string> environment, TextWriter output, TimeProvider timeProvider) =>
        new(name => environment.GetValueOrDefault(name), output, timeProvider, () => new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }))
        {
            DockerSocket = "/nonexistent/docker.sock",
        };

    /// <summary>Leaves the token directory as the main step and the refresher would: one real token from OpenIddict.</summary>
    private async Task<string> PublishTokenAsync(CancellationToken cancellationToken)
    {
        var request = new TokenRequest
        {
            TokenUrl = _server.TokenUrl,
            ClientId = Client.ClientId,
            ClientSecret = new Secret(Client.ClientSecret),
            Scope = TestScopes.Script,
        };
        using var http = TokenClient.CreateHttpClient();
        var response = await new TokenClient(http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(request, cancellationToken);
        var publisher = new TokenPublisher(new TokenDirectoryWriter(_tokenDirectory), request.TokenUrl, TimeProvider.System);
        publisher.Prepare();
        publisher.Publish(response.Token);
        return response.Token.Value.Reveal();
    }

    private Task<bool> IsActiveAsync(string token, CancellationToken cancellationToken) => _server.IsActiveAsync(token, Client, cancellationToken);

    /// <summary>
    /// Advances the clock by each backoff delay the post step starts, until it finishes. The revocation request's own
    /// timeout (30 s) is left alone: a refused connection fails long before it, and firing it would change the failure.
    /// </summary>
    private static async Task<List<TimeSpan>> AdvanceBackoffsUntilDoneAsync(TimerDrivenClock clock, Task running, CancellationToken cancellationToken)
    {
        var backoffs = new List<TimeSpan>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!running.IsCompleted)
        {
            var started = clock.NextTimerAsync(stop.Token);
            if (await Task.WhenAny(running, started) != started)
            {
                break;
            }

            var dueTime = await started;
            if (dueTime < TimeSpan.FromSeconds(30))
            {
                backoffs.Add(dueTime);
                clock.Advance(dueTime);
            }
        }

        await stop.CancelAsync();
        return backoffs;
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Only an add-mask command may carry a secret: the runner masks everything else after it.</summary>
    private static void AssertNothingUnmasked(IEnumerable<string> lines, string token)
    {
        var unmasked = string.Join('\n', lines.Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal)));
        SecretScan.AssertAbsent(unmasked, token, "the token");
        SecretScan.AssertAbsent(unmasked, Client.ClientSecret, "the client secret");
    }

    // The runner unescapes command data (actions/runner ActionCommand.UnescapeData); '%' goes first.
    private static string EscapedAsWorkflowCommandData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
}
