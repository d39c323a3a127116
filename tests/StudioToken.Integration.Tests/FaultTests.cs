using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.LocalEndpoint;
using StudioToken.Testing;

namespace StudioToken.Integration.Tests;

/// <summary>
/// Faults injected by the local endpoint over real HTTP on 127.0.0.1, with time driven by the timers the code starts:
/// every retryable fault recovers, every rejection stops at once, every malformed answer is refused and writes nothing.
/// </summary>
[CancelAfter(30_000)]
public sealed class FaultTests
{
    private const string Secret = "fault-secret";

    private LocalTokenEndpoint _endpoint = null!;
    private string _directory = null!;

    public static IEnumerable<TestCaseData> RetryableFaults()
    {
        yield return new TestCaseData(new EndpointFault.TooManyRequests("7"), TimeSpan.FromSeconds(7)).SetName("A_429_with_Retry_After_recovers_no_sooner_than_asked");
        yield return new TestCaseData(new EndpointFault.ServerError(500), TimeSpan.Zero).SetName("A_500_recovers");
        yield return new TestCaseData(new EndpointFault.ServerError(502), TimeSpan.Zero).SetName("A_502_recovers");
        yield return new TestCaseData(new EndpointFault.ServerError(503), TimeSpan.Zero).SetName("A_503_recovers");
        yield return new TestCaseData(new EndpointFault.ServerError(504), TimeSpan.Zero).SetName("A_504_recovers");
        yield return new TestCaseData(new EndpointFault.Reset(), TimeSpan.Zero).SetName("A_connection_reset_recovers");
        yield return new TestCaseData(new EndpointFault.RawResponse(408, "application/json", "{}"), TimeSpan.Zero).SetName("A_408_recovers");
    }

    public static IEnumerable<TestCaseData> MalformedAnswers()
    {
        TestCaseData Case(int status, string contentType, string body, string message, string name, IReadOnlyDictionary<string, string>? headers = null) =>
            new TestCaseData(new EndpointFault.RawResponse(status, contentType, body, headers), message).SetName(name);

        yield return Case(200, "text/html", "<html><body>Sign in</body></html>", "HTML, not JSON", "An_HTML_page_is_refused");
        yield return Case(200, "application/json", string.Empty, "empty body", "An_empty_body_is_refused");
        yield return Case(200, "application/json", "access_token=abc", "not a JSON object", "A_body_that_is_not_JSON_is_refused");
        yield return Case(200, "application/json", "[\"abc\"]", "not a JSON object", "A_JSON_array_is_refused");
        yield return Case(200, "application/json", "{\"token_type\":\"Bearer\",\"expires_in\":3600}", "without an access_token", "A_response_without_access_token_is_refused");
        yield return Case(200, "application/json", "{\"access_token\":\"abc\",\"token_type\":\"mac\",\"expires_in\":3600}", "only Bearer", "A_mac_token_type_is_refused");
        yield return Case(200, "application/json", "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}", "positive whole number", "A_non_numeric_expires_in_is_refused");
        yield return Case(200, "application/json", "{\"access_token\":\"abc\\r\\nSTUDIO_X=1\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "b64token", "A_token_with_CR_LF_is_refused");
        yield return Case(200, "application/json", "{\"access_token\":\"::set-output name=x::1\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "b64token", "A_token_with_a_runner_command_is_refused");
        yield return Case(200, "application/json", "{\"access_token\":\"abc%0Adef\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "b64token", "A_token_with_percent_is_refused");
        yield return Case(302, "text/plain", string.Empty, "redirect", "A_redirect_is_not_followed", new Dictionary<string, string> { ["Location"] = "http://127.0.0.1:9/elsewhere" });
        yield return Case(404, "text/html", "<h1>Not Found</h1>", "404", "A_404_is_refused");
        yield return new TestCaseData(new EndpointFault.OversizeBody(2 * 1024 * 1024), "over 1 MiB").SetName("A_body_over_1_MiB_is_refused");
    }

    [SetUp]
    public void Start()
    {
        _endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientId = "fault-client", ClientSecret = Secret, TokenLifetime = TimeSpan.FromMinutes(10) });
        _directory = Path.Combine(Path.GetTempPath(), "studio-token-faults", Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public async Task Stop()
    {
        await _endpoint.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestCaseSource(nameof(RetryableFaults))]
    public async Task Retryable_faults_recover_on_the_next_attempt(EndpointFault fault, TimeSpan minimumDelay)
    {
        _endpoint.EnqueueFault(fault);
        var clock = new TimerDrivenClock();
        var acquirer = new TokenAcquirer(Source(clock, Timeout.InfiniteTimeSpan), new RetryPolicy(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);

        var acquiring = acquirer.AcquireAsync(CancellationToken.None);
        var delay = await clock.NextTimerAsync();
        clock.Advance(delay);
        var response = await acquiring;

        Assert.That(response.Token.Value.Reveal(), Is.Not.Empty);
        Assert.That(delay, Is.GreaterThanOrEqualTo(minimumDelay));
        Assert.That(_endpoint.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task An_endpoint_that_hangs_times_out_and_the_retry_succeeds()
    {
        _endpoint.EnqueueFault(new EndpointFault.Hang());
        var clock = new TimerDrivenClock();
        var acquirer = new TokenAcquirer(Source(clock, TimeSpan.FromSeconds(30)), new RetryPolicy(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);

        var acquiring = acquirer.AcquireAsync(CancellationToken.None);
        Assert.That(await clock.NextTimerAsync(), Is.EqualTo(TimeSpan.FromSeconds(30)), "the request timeout");
        await _endpoint.WaitForRequestAsync(1, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));
        var retryDelay = await clock.NextTimerAsync();
        clock.Advance(retryDelay);
        var response = await acquiring;

        Assert.That(response.Token.Value.Reveal(), Is.Not.Empty);
        Assert.That(_endpoint.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public void Five_transient_failures_in_a_row_give_up_with_the_last_reason()
    {
        for (var i = 0; i < 5; i++)
        {
            _endpoint.EnqueueFault(new EndpointFault.ServerError(503));
        }

        var clock = new TimerDrivenClock();
        var acquirer = new TokenAcquirer(Source(clock, Timeout.InfiniteTimeSpan), new RetryPolicy(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);
        var acquiring = acquirer.AcquireAsync(CancellationToken.None);
        var driving = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                clock.Advance(await clock.NextTimerAsync());
            }
        });

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => acquiring);
        Assert.That(failure!.Message, Does.Contain("503").And.Contain("gave up after 5 attempts"));
        Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Transient));
        Assert.That(driving.Wait(TimeSpan.FromSeconds(10)), Is.True);
    }

    [TestCase("wrong-secret", "studio:script", "invalid_client")]
    [TestCase(Secret, "studio:admin", "invalid_scope")]
    public void Rejections_fail_after_one_request(string secret, string scope, string error)
    {
        var clock = new TimerDrivenClock();
        var source = Source(clock, Timeout.InfiniteTimeSpan, secret, scope);
        var acquirer = new TokenAcquirer(source, new RetryPolicy(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);

        var failure = Assert.ThrowsAsync<OAuthErrorException>(() => acquirer.AcquireAsync(CancellationToken.None));

        Assert.That(failure!.Error, Is.EqualTo(error));
        Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
        Assert.That(_endpoint.RequestCount, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(MalformedAnswers))]
    public async Task Malformed_answers_exit_3_with_their_reason_and_write_nothing(EndpointFault fault, string message)
    {
        _endpoint.EnqueueFault(fault);
        var environment = new Dictionary<string, string>
        {
            ["STUDIO_TOKEN_URL"] = _endpoint.TokenUrl.AbsoluteUri,
            ["STUDIO_CLIENT_ID"] = "fault-client",
            ["STUDIO_CLIENT_SECRET"] = Secret,
        };

        var run = await CliHarness.RunAsync(["fetch", "--token-dir", _directory], environment);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Output, Is.Empty);
        Assert.That(Directory.Exists(_directory), Is.False, "nothing may be written");
        Assert.That(_endpoint.RequestCount, Is.EqualTo(1), "a malformed answer is not retried by fetch");
    }

    [Test]
    public async Task The_refresher_keeps_the_token_through_a_failed_refresh_and_records_the_error()
    {
        var clock = new TimerDrivenClock();
        var source = Source(clock, Timeout.InfiniteTimeSpan);
        var publisher = new TokenPublisher(new TokenDirectoryWriter(_directory), _endpoint.TokenUrl, clock);
        publisher.Prepare();
        var first = await source.RequestTokenAsync(CancellationToken.None);
        publisher.Publish(first.Token);
        var tokenFile = Path.Combine(_directory, "token");
        var firstToken = await File.ReadAllTextAsync(tokenFile);
        _endpoint.EnqueueFault(new EndpointFault.ServerError(503));

        using var stop = new CancellationTokenSource();
        var refresher = new Refresher(source, publisher, new RefresherOptions(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);
        var running = refresher.RunAsync(first.Token, stop.Token);
        while (_endpoint.RequestCount < 2)
        {
            clock.Advance(await clock.NextTimerAsync());
        }

        while (refresher.History.Failures == 0)
        {
            clock.Advance(await clock.NextTimerAsync());
        }

        Assert.That(await File.ReadAllTextAsync(tokenFile), Is.EqualTo(firstToken), "the current token stays in place");
        Assert.That(TokenMetadata.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "token.json"))).LastError, Does.Contain("503"));

        while (refresher.History.Rotations == 0)
        {
            clock.Advance(await clock.NextTimerAsync());
        }

        var metadata = TokenMetadata.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "token.json")));
        Assert.That(metadata.Generation, Is.EqualTo(2));
        Assert.That(metadata.LastError, Is.Null);
        Assert.That(await File.ReadAllTextAsync(tokenFile), Is.Not.EqualTo(firstToken));
        await stop.CancelAsync();
        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
    }

    private ClientCredentialsTokenSource Source(TimeProvider clock, TimeSpan timeout, string secret = Secret, string scope = "studio:script")
    {
        var request = new TokenRequest
        {
            TokenUrl = _endpoint.TokenUrl,
            ClientId = "fault-client",
            ClientSecret = new Secret(secret),
            Scope = scope,
            RequestTimeout = timeout,
        };
        var client = new TokenClient(TokenClient.CreateHttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }), clock, new RefreshPolicy(), new FixedRandom(0.5));
        return new ClientCredentialsTokenSource(client, request);
    }
}
