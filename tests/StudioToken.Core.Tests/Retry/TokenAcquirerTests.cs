using System.Net;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Retry;

[TestFixture]
public sealed class TokenAcquirerTests
{
    private const string ClientSecretValue = "very-secret-value-123";

    private FakeTimeProvider _time = null!;
    private Mock<ITokenSource> _source = null!;
    private Mock<ITokenLog> _log = null!;
    private List<string> _logged = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(TestTokens.Start);
        _source = new Mock<ITokenSource>(MockBehavior.Strict);
        _logged = [];
        _log = new Mock<ITokenLog>(MockBehavior.Strict);
        _log.Setup(l => l.Warning(It.IsAny<string>())).Callback<string>(_logged.Add);
        _log.Setup(l => l.Information(It.IsAny<string>())).Callback<string>(_logged.Add);
    }

    private TokenAcquirer Acquirer(RetryPolicy? policy = null) =>
        new(_source.Object, policy ?? new RetryPolicy(), _time, new FixedRandom(0.5), _log.Object);

    private TokenResponse Response() => new(TestTokens.Issued("tok", _time.GetUtcNow(), TimeSpan.FromHours(1)), []);

    private static TokenRequestException Unavailable(TimeSpan? retryAfter = null) =>
        new(TokenFailureKind.Transient, "token endpoint answered 503 ServiceUnavailable", HttpStatusCode.ServiceUnavailable, retryAfter);

    private void VerifyCalls(int times) => _source.Verify(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()), Times.Exactly(times));

    [Test]
    public async Task Returns_the_first_token_without_waiting()
    {
        var response = Response();
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync(response);

        var result = await Acquirer().AcquireAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.SameAs(response));
            Assert.That(_logged, Is.Empty);
        });
        VerifyCalls(1);
    }

    [Test]
    public async Task Retries_transient_failures_after_waiting_the_backoff_on_the_clock()
    {
        var response = Response();
        _source.SetupSequence(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(Unavailable())
            .ThrowsAsync(Unavailable())
            .ReturnsAsync(response);

        var pending = Acquirer().AcquireAsync(CancellationToken.None);

        VerifyCalls(1);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        VerifyCalls(1);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // 1 s ceiling × 0.5
        VerifyCalls(2);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        VerifyCalls(2);
        Assert.That(pending.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // 2 s ceiling × 0.5
        VerifyCalls(3);

        Assert.That(await pending, Is.SameAs(response));
    }

    [Test]
    public void Gives_up_after_MaxAttempts_saying_so()
    {
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Unavailable());
        var pending = Acquirer(new RetryPolicy { MaxAttempts = 3 }).AcquireAsync(CancellationToken.None);

        _time.AdvanceInSteps(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500));

        var ex = Assert.ThrowsAsync<TokenRequestException>(async () => await pending)!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.Message, Is.EqualTo("token endpoint answered 503 ServiceUnavailable (gave up after 3 attempts)"));
        });
        VerifyCalls(3);
    }

    [Test]
    public void Fails_at_once_on_a_rejection()
    {
        var rejected = new OAuthErrorException(TokenFailureKind.Rejected, "invalid_client", null, HttpStatusCode.Unauthorized, null);
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ThrowsAsync(rejected);

        var ex = Assert.ThrowsAsync<OAuthErrorException>(() => Acquirer().AcquireAsync(CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.SameAs(rejected));
            Assert.That(_logged, Is.Empty);
        });
        VerifyCalls(1);
    }

    [Test]
    public void Fails_at_once_on_a_bad_response()
    {
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TokenRequestException(TokenFailureKind.BadResponse, "HTML"));

        Assert.ThrowsAsync<TokenRequestException>(() => Acquirer().AcquireAsync(CancellationToken.None));

        VerifyCalls(1);
    }

    [Test]
    public void Fails_at_once_when_Retry_After_is_longer_than_MaxRetryAfter()
    {
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Unavailable(TimeSpan.FromMinutes(10)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Acquirer().AcquireAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(ex.Message, Does.Contain("asked to wait 600 s, longer than 300 s"));
        });
        VerifyCalls(1);
    }

    [Test]
    public async Task Waits_a_Retry_After_within_MaxRetryAfter()
    {
        var response = Response();
        _source.SetupSequence(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(Unavailable(TimeSpan.FromMinutes(2)))
            .ReturnsAsync(response);
        var pending = Acquirer().AcquireAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        VerifyCalls(1);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.That(await pending, Is.SameAs(response));
        VerifyCalls(2);
    }

    [Test]
    public async Task Logs_a_warning_per_retry_without_the_secret()
    {
        _source.SetupSequence(s => s.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(Unavailable())
            .ThrowsAsync(new TokenRequestException(TokenFailureKind.Transient, "could not reach the token endpoint at https://studio.example.com: ConnectionRefused"))
            .ReturnsAsync(Response());
        var pending = Acquirer().AcquireAsync(CancellationToken.None);

        _time.AdvanceInSteps(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500));
        await pending;

        _log.Verify(l => l.Warning(It.IsAny<string>()), Times.Exactly(2));
        Assert.Multiple(() =>
        {
            Assert.That(_logged[0], Is.EqualTo("attempt 1 of 5 failed: token endpoint answered 503 ServiceUnavailable; retrying in 0.5 s"));
            Assert.That(_logged[1], Does.StartWith("attempt 2 of 5 failed: could not reach"));
            Assert.That(_logged, Has.None.Contains(ClientSecretValue));
        });
    }

    [Test]
    public void Stops_waiting_when_cancelled()
    {
        _source.Setup(s => s.RequestTokenAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Unavailable());
        using var cancellation = new CancellationTokenSource();
        var pending = Acquirer().AcquireAsync(cancellation.Token);

        cancellation.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await pending);
        VerifyCalls(1);
    }
}
