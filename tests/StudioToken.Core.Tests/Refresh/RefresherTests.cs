using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Refresh;

[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class RefresherTests
{
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private TemporaryDirectory _temp = null!;
    private FakeTimeProvider _time = null!;
    private TokenDirectoryWriter _writer = null!;
    private TokenPublisher _publisher = null!;
    private Mock<ITokenSource> _source = null!;
    private Queue<Func<Task<TokenResponse>>> _answers = null!;
    private List<string> _logged = null!;
    private CancellationTokenSource _stop = null!;
    private int _issued;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _time = new FakeTimeProvider(TestTokens.Start);
        _writer = new TokenDirectoryWriter(_temp.Combine("tokens"));
        _publisher = new TokenPublisher(_writer, TokenUrl, _time);
        _publisher.Prepare();
        _answers = new Queue<Func<Task<TokenResponse>>>();
        _source = new Mock<ITokenSource>(MockBehavior.Strict);
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .Returns(() => _answers.TryDequeue(out var answer) ? answer() : Task.FromResult(Fresh()));
        _logged = [];
        _stop = new CancellationTokenSource();
        _issued = 1;
    }

    [TearDown]
    public void TearDown()
    {
        _stop.Cancel();
        _stop.Dispose();
        _temp.Dispose();
    }

    private TokenResponse Fresh(params string[] warnings) =>
        new(TestTokens.Issued($"tok-{++_issued}", _time.GetUtcNow(), Lifetime), warnings);

    private void ThenFail(TokenRequestException failure) => _answers.Enqueue(() => Task.FromException<TokenResponse>(failure));

    private static TokenRequestException Unavailable() =>
        new(TokenFailureKind.Transient, "token endpoint answered 503 ServiceUnavailable", HttpStatusCode.ServiceUnavailable);

    private static OAuthErrorException InvalidClient() =>
        new(TokenFailureKind.Rejected, "invalid_client", "unknown client", HttpStatusCode.Unauthorized, null);

    private Refresher Refresher(RefresherOptions? options = null)
    {
        var log = new Mock<ITokenLog>();
        log.Setup(l => l.Warning(It.IsAny<string>())).Callback<string>(m => _logged.Add("warning: " + m));
        log.Setup(l => l.Information(It.IsAny<string>())).Callback<string>(m => _logged.Add("information: " + m));
        return new Refresher(_source.Object, _publisher, options ?? new RefresherOptions(), _time, new FixedRandom(0.5), log.Object);
    }

    /// <summary>Publishes generation 1 (refresh due at 30 min) and starts the refresher on it.</summary>
    private Task<RefresherStopReason> Start(Refresher refresher)
    {
        var first = TestTokens.Issued("tok-1", _time.GetUtcNow(), Lifetime);
        _publisher.Publish(first);
        return refresher.RunAsync(first, _stop.Token);
    }

    private void VerifyCalls(int times) => _source.Verify(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()), Times.Exactly(times));

    private string TokenOnDisk() => File.ReadAllText(_writer.TokenFile);

    private TokenMetadata MetadataOnDisk() => TokenMetadata.Parse(File.ReadAllText(_writer.MetadataFile));

    private void Run(TimeSpan span) => _time.AdvanceInSteps(span, Second);

    [Test]
    public async Task Refreshes_at_RefreshOn_and_not_a_second_before()
    {
        var running = Start(Refresher());

        Run(TimeSpan.FromMinutes(30) - Second);
        VerifyCalls(0);
        Assert.That(TokenOnDisk(), Is.EqualTo("tok-1"));

        Run(Second);
        VerifyCalls(1);
        Assert.Multiple(() =>
        {
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-2"));
            Assert.That(MetadataOnDisk().Generation, Is.EqualTo(2));
            Assert.That(MetadataOnDisk().ExpiresAt, Is.EqualTo(TestTokens.Start + TimeSpan.FromMinutes(30) + Lifetime));
            Assert.That(running.IsCompleted, Is.False);
        });

        await _stop.CancelAsync();
        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Refreshes_at_a_RefreshOn_between_two_milliseconds_instead_of_spinning_on_the_remainder(CancellationToken cancellationToken)
    {
        // Task.Delay drops a fraction of a millisecond; the refresher once waited 0 ms on it again and again inside the
        // timer callback, so Advance never returned. The test's deadline stops the refresher, so a regression fails.
        using var deadline = cancellationToken.Register(_stop.Cancel);
        var first = TestTokens.Issued("tok-1", _time.GetUtcNow(), Lifetime) with { RefreshOn = _time.GetUtcNow() + TimeSpan.FromMinutes(30) + TimeSpan.FromTicks(5_000) };
        _publisher.Publish(first);
        var running = Refresher().RunAsync(first, _stop.Token);

        Run(TimeSpan.FromMinutes(30));
        VerifyCalls(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(cancellationToken.IsCancellationRequested, Is.False, "the refresher spun until the test's deadline");
        VerifyCalls(1);
        Assert.That(TokenOnDisk(), Is.EqualTo("tok-2"));
        await _stop.CancelAsync();
        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
    }

    [Test]
    public async Task A_new_token_already_due_for_refresh_waits_the_minimum_interval_instead_of_asking_again_at_once()
    {
        // A cache handing back the same token, or an exp skewed by the server's clock: RefreshOn is already past.
        _answers.Enqueue(() => Task.FromResult(new TokenResponse(TestTokens.Issued("tok-due", _time.GetUtcNow(), Lifetime) with { RefreshOn = _time.GetUtcNow() - Second }, [])));
        var running = Start(Refresher(new RefresherOptions { MinimumRefreshInterval = TimeSpan.FromSeconds(10) }));

        Run(TimeSpan.FromMinutes(30));
        VerifyCalls(1);
        Run(TimeSpan.FromSeconds(9));
        VerifyCalls(1);
        Run(Second);
        VerifyCalls(2);

        await _stop.CancelAsync();
        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
    }

    [Test]
    public void Rotates_again_at_each_new_tokens_RefreshOn()
    {
        var refresher = Refresher();
        _ = Start(refresher);

        Run(TimeSpan.FromHours(2));

        VerifyCalls(4);
        Assert.Multiple(() =>
        {
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-5"));
            Assert.That(MetadataOnDisk().Generation, Is.EqualTo(5));
            Assert.That(refresher.History, Is.EqualTo(new RefreshHistory(4, 0, null, 5)));
            Assert.That(_logged, Has.Exactly(4).StartsWith("information: refreshed: generation "));
            Assert.That(_logged.Last(), Is.EqualTo("information: refreshed: generation 5, expires 2025-03-14T12:00:00Z, next refresh in 30m"));
        });
    }

    [Test]
    public void Keeps_the_token_through_a_transient_failure_and_retries_with_backoff()
    {
        ThenFail(Unavailable());
        ThenFail(Unavailable());
        var refresher = Refresher();
        _ = Start(refresher);
        var tokenBefore = File.ReadAllBytes(_writer.TokenFile);

        Run(TimeSpan.FromMinutes(30));

        VerifyCalls(1);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(_writer.TokenFile), Is.EqualTo(tokenBefore));
            Assert.That(MetadataOnDisk().Generation, Is.EqualTo(1));
            Assert.That(MetadataOnDisk().LastError, Is.EqualTo("token endpoint answered 503 ServiceUnavailable"));
            Assert.That(_logged.Last(), Is.EqualTo("warning: refresh failed: token endpoint answered 503 ServiceUnavailable; keeping the current token, next try in 500ms"));
        });

        _time.Advance(TimeSpan.FromMilliseconds(499));
        VerifyCalls(1);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // 1 s ceiling × 0.5
        VerifyCalls(2);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        VerifyCalls(2);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // 2 s ceiling × 0.5
        VerifyCalls(3);

        Assert.Multiple(() =>
        {
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-2"));
            Assert.That(MetadataOnDisk().Generation, Is.EqualTo(2));
            Assert.That(MetadataOnDisk().LastError, Is.Null, "a success clears last_error");
            Assert.That(refresher.History.Rotations, Is.EqualTo(1));
            Assert.That(refresher.History.Failures, Is.EqualTo(2));
        });
    }

    [Test]
    public void Waits_the_slow_retry_interval_after_a_rejection()
    {
        ThenFail(InvalidClient());
        _ = Start(Refresher());
        Run(TimeSpan.FromMinutes(30));
        VerifyCalls(1);
        Assert.That(MetadataOnDisk().LastError, Does.StartWith("token endpoint answered 401 invalid_client: unknown client"));

        Run(TimeSpan.FromMinutes(5) - Second);
        VerifyCalls(1);
        Run(Second);
        VerifyCalls(2);

        Assert.Multiple(() =>
        {
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-2"));
            Assert.That(MetadataOnDisk().LastError, Is.Null);
        });
    }

    [Test]
    public void Keeps_the_slow_pace_while_the_rejection_lasts()
    {
        for (var i = 0; i < 10; i++)
        {
            ThenFail(InvalidClient());
        }

        var refresher = Refresher();
        _ = Start(refresher);

        Run(TimeSpan.FromMinutes(30) + TimeSpan.FromMinutes(5 * 3));

        VerifyCalls(4);
        Assert.Multiple(() =>
        {
            Assert.That(refresher.History.Failures, Is.EqualTo(4));
            Assert.That(refresher.History.Rotations, Is.Zero);
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-1"));
        });
    }

    [Test]
    public async Task Stops_at_max_lifetime()
    {
        var running = Start(Refresher(new RefresherOptions { MaxLifetime = TimeSpan.FromMinutes(45) }));

        Run(TimeSpan.FromMinutes(45) - Second);
        Assert.That(running.IsCompleted, Is.False);
        Run(Second);

        Assert.That(running.IsCompleted, Is.True);
        Assert.That(await running, Is.EqualTo(RefresherStopReason.MaxLifetime));
        VerifyCalls(1);
    }

    [Test]
    public async Task Stops_within_the_directory_check_interval_after_its_directory_is_deleted()
    {
        var running = Start(Refresher());
        Run(TimeSpan.FromMinutes(10) + Second);
        Assert.That(running.IsCompleted, Is.False);

        Directory.Delete(_writer.Directory, recursive: true);
        Run(new RefresherOptions().DirectoryCheckInterval);

        Assert.That(running.IsCompleted, Is.True);
        Assert.That(await running, Is.EqualTo(RefresherStopReason.DirectoryDeleted));
        VerifyCalls(0);
    }

    [Test]
    public async Task Stops_when_cancelled()
    {
        var running = Start(Refresher());
        Run(TimeSpan.FromMinutes(1));

        await _stop.CancelAsync();

        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
        VerifyCalls(0);
    }

    [Test]
    public async Task Stops_when_cancelled_during_a_request()
    {
        _answers.Enqueue(() =>
        {
            var pending = new TaskCompletionSource<TokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _stop.Token.Register(() => pending.TrySetCanceled(_stop.Token));
            return pending.Task;
        });
        var running = Start(Refresher());
        Run(TimeSpan.FromMinutes(30));
        VerifyCalls(1);

        await _stop.CancelAsync();

        Assert.That(await running, Is.EqualTo(RefresherStopReason.Cancelled));
    }

    [Test]
    public void Counts_rotations_and_failures_in_its_history()
    {
        ThenFail(Unavailable());
        var refresher = Refresher();
        _ = Start(refresher);

        Run(TimeSpan.FromMinutes(31));
        Run(TimeSpan.FromMinutes(30));

        Assert.That(refresher.History, Is.EqualTo(new RefreshHistory(2, 1, "token endpoint answered 503 ServiceUnavailable", 3)));
    }

    [Test]
    public void Passes_on_the_endpoints_warnings_and_never_logs_a_token()
    {
        _answers.Enqueue(() => Task.FromResult(Fresh("token endpoint sent no token_type; assuming Bearer")));
        _ = Start(Refresher());

        Run(TimeSpan.FromMinutes(30));

        Assert.Multiple(() =>
        {
            Assert.That(_logged, Has.One.EqualTo("warning: token endpoint sent no token_type; assuming Bearer"));
            Assert.That(_logged, Has.None.Contains("tok-"));
        });
    }

    [Test]
    public void Keeps_going_when_the_token_file_cannot_be_written()
    {
        var refresher = Refresher();
        _ = Start(refresher);
        File.Delete(_writer.TokenFile);
        File.CreateSymbolicLink(_writer.TokenFile, _temp.Combine("elsewhere"));

        Run(TimeSpan.FromMinutes(30));

        Assert.Multiple(() =>
        {
            Assert.That(refresher.History.Failures, Is.EqualTo(1));
            Assert.That(MetadataOnDisk().LastError, Does.StartWith("could not write the token directory:").And.Contain("symbolic link"));
            Assert.That(File.Exists(_temp.Combine("elsewhere")), Is.False, "nothing was written through the link");
        });

        File.Delete(_writer.TokenFile);
        Run(TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(TokenOnDisk(), Is.EqualTo("tok-3"));
            Assert.That(MetadataOnDisk().LastError, Is.Null);
        });
    }
}
