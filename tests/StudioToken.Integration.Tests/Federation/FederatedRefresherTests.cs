using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.Testing;
using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// The refresher with github_oidc: an ID token lives minutes and a refresh comes half an hour later, so every refresh
/// must ask GitHub for a new one. Time is a driven clock; only the HTTP exchanges are real.
/// </summary>
public sealed class FederatedRefresherTests
{
    private string _directory = null!;
    private HttpClient _http = null!;

    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    [SetUp]
    public void CreateHttpClient()
    {
        _directory = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N"));
        _http = TokenClient.CreateHttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    }

    [TearDown]
    public void DeleteDirectory()
    {
        _http.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Each_refresh_asks_GitHub_for_a_new_ID_token_and_the_server_accepts_it(CancellationToken cancellationToken)
    {
        // Starts at the real now: the ID tokens are dated by the wall clock, and only their own minutes matter.
        var clock = new TimerDrivenClock(TimeProvider.System.GetUtcNow());
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http)) with { RequestTimeout = Timeout.InfiniteTimeSpan };
        var source = new ClientCredentialsTokenSource(new TokenClient(_http, clock, new RefreshPolicy(), new FixedRandom(0.5)), request);
        var publisher = new TokenPublisher(new TokenDirectoryWriter(_directory), request.TokenUrl, clock);
        publisher.Prepare();
        var first = await source.RequestTokenAsync(CancellationToken.None);
        publisher.Publish(first.Token);
        var before = Issuer.IssuedCount;

        // The test's deadline stops the refresher too: a refresher spinning inside Advance is stopped, and the test fails.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new RefresherOptions { DirectoryCheckInterval = TimeSpan.FromMinutes(10) };
        var refresher = new Refresher(source, publisher, options, clock, new FixedRandom(0.5), SilentTokenLog.Instance);
        var running = refresher.RunAsync(first.Token, stop.Token);
        while (true)
        {
            // The server dates its tokens by the wall clock, so the second refresh comes when the driven clock is
            // 45 min ahead, at a RefreshOn between two milliseconds: where the refresher once spun without end.
            var wait = await clock.NextTimerAsync(cancellationToken);
            if (refresher.History.Rotations >= 2)
            {
                break;
            }

            clock.Advance(wait);
        }

        Assert.That(cancellationToken.IsCancellationRequested, Is.False, "the test's deadline stopped the refresher");
        await stop.CancelAsync();
        var stopped = await running;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stopped, Is.EqualTo(RefresherStopReason.Cancelled));
            Assert.That(refresher.History.Failures, Is.Zero, refresher.History.LastError);
            Assert.That(refresher.History.Generation, Is.EqualTo(3));
            Assert.That(Issuer.IssuedCount - before, Is.EqualTo(2), "one new ID token for each of the two refreshes");
        }
    }
}
