using System.Buffers.Text;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Tokens;
using StudioToken.Testing;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// Core's token client, acquirer and revocation client with the platforms' real ID-token sources, against the local
/// issuer standing in for GitHub and Azure and an OpenIddict server that trusts it.
/// </summary>
[CancelAfter(120_000)]
public sealed class FederatedTokenClientTests
{
    private HttpClient _http = null!;

    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    private static OpenIddictTestServer Server => FederationServers.Server;

    [OneTimeSetUp]
    public void CreateHttpClient() => _http = TokenClient.CreateHttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

    [OneTimeTearDown]
    public void DisposeHttpClient() => _http.Dispose();

    [TearDown]
    public void AnswerNormallyAgain() => Issuer.Reset();

    [Test]
    public async Task Each_github_oidc_request_asks_GitHub_for_a_new_ID_token_and_gets_a_token_naming_the_client()
    {
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http));
        var before = Issuer.IssuedCount;

        var first = await RequestTokenAsync(request);
        var second = await RequestTokenAsync(request);

        var idTokens = Issuer.IssuedTokens.Skip(before).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(idTokens, Has.Count.EqualTo(2), "an ID token lives minutes: one is asked for at every request");
            Assert.That(idTokens[1], Is.Not.EqualTo(idTokens[0]));
            Assert.That(Subject(first), Is.EqualTo(FederationServers.GitHubClient.ClientId));
            Assert.That(Subject(second), Is.EqualTo(FederationServers.GitHubClient.ClientId));
        }
    }

    [Test]
    public async Task Github_oidc_with_an_audience_asks_GitHub_for_an_ID_token_for_that_audience()
    {
        var request = FederatedSources.Request(FederationServers.GitHubAudienceClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http, FederationServers.CustomAudience));

        var response = await RequestTokenAsync(request);

        Assert.That(Subject(response), Is.EqualTo(FederationServers.GitHubAudienceClient.ClientId));
        Assert.That((string?)Claims(Issuer.IssuedTokens[^1])["aud"], Is.EqualTo(FederationServers.CustomAudience));
    }

    [Test]
    public async Task Each_azure_oidc_request_asks_Azure_for_a_new_OIDC_token_and_gets_a_token_naming_the_client()
    {
        var request = FederatedSources.Request(FederationServers.AzureClient, ClientAuthMethod.AzureOidc, FederatedSources.Azure(_http));
        var before = Issuer.IssuedCount;

        var first = await RequestTokenAsync(request);
        var second = await RequestTokenAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Issuer.IssuedCount - before, Is.EqualTo(2));
            Assert.That(Subject(first), Is.EqualTo(FederationServers.AzureClient.ClientId));
            Assert.That(Subject(second), Is.EqualTo(FederationServers.AzureClient.ClientId));
        }
    }

    [TestCase(ClientAuthMethod.GitHubOidc, TestName = "Token_exchange_of_a_GitHub_ID_token_gets_a_token_naming_the_client")]
    [TestCase(ClientAuthMethod.AzureOidc, TestName = "Token_exchange_of_an_Azure_OIDC_token_gets_a_token_naming_the_client")]
    public async Task Token_exchange_gets_a_token(ClientAuthMethod method)
    {
        var (client, source) = method == ClientAuthMethod.GitHubOidc
            ? (FederationServers.GitHubExchangeClient, (IClientAssertionSource)FederatedSources.GitHub(_http))
            : (FederationServers.AzureExchangeClient, FederatedSources.Azure(_http));
        var request = FederatedSources.Request(client, method, source) with { Grant = TokenGrant.TokenExchange };
        var before = Issuer.IssuedCount;

        var response = await RequestTokenAsync(request);

        Assert.That(Subject(response), Is.EqualTo(client.ClientId));
        Assert.That(Issuer.IssuedCount - before, Is.EqualTo(1));
    }

    [Test]
    public async Task Revocation_authenticated_with_github_oidc_revokes_the_token_with_an_ID_token_of_its_own()
    {
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http));
        var token = (await RequestTokenAsync(request)).Token.Value;
        Assert.That(await FederationServers.IsActiveAsync(token.Reveal()), Is.True, "the token must be live before it is revoked");
        var before = Issuer.IssuedCount;

        await new RevocationClient(_http, TimeProvider.System).RevokeAsync(Server.RevocationUrl, request, token, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await FederationServers.IsActiveAsync(token.Reveal()), Is.False, "the server must know the token as revoked");
            Assert.That(Issuer.IssuedCount - before, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task The_acquirer_retries_after_GitHub_answers_500_and_the_retry_gets_a_token()
    {
        // The ID-token source times its requests on the real clock, so the one timer on the driven clock is the retry delay.
        var clock = new TimerDrivenClock(TimeProvider.System.GetUtcNow());
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http)) with { RequestTimeout = Timeout.InfiniteTimeSpan };
        var source = new ClientCredentialsTokenSource(new TokenClient(_http, clock, new RefreshPolicy(), new FixedRandom(0.5)), request);
        var acquirer = new TokenAcquirer(source, new RetryPolicy(), clock, new FixedRandom(0.5), SilentTokenLog.Instance);
        Issuer.Answer = IdTokenAnswer.ServerError;
        var issuedBefore = Issuer.IssuedCount;
        var requestsBefore = Server.TokenRequestCount;

        var acquiring = acquirer.AcquireAsync(CancellationToken.None);
        var retryDelay = await clock.NextTimerAsync();
        Issuer.Answer = IdTokenAnswer.Token;
        clock.Advance(retryDelay);
        var response = await acquiring;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Subject(response), Is.EqualTo(FederationServers.GitHubClient.ClientId));
            Assert.That(Issuer.IssuedCount - issuedBefore, Is.EqualTo(1), "the failed attempt got no ID token, the retry one");
            Assert.That(Server.TokenRequestCount - requestsBefore, Is.EqualTo(1), "nothing reached the server without an ID token");
        }
    }

    [Test]
    public void An_expired_ID_token_is_a_rejection_that_says_so_and_holds_no_token()
    {
        Issuer.MintExpired = true;
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http));

        var failure = Assert.ThrowsAsync<OAuthErrorException>(() => RequestTokenAsync(request))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.Error, Is.EqualTo("invalid_client"));
            Assert.That(failure.Message, Does.Contain("expired"));
        }

        FederationServers.AssertNoSecretIn(failure.Message);
    }

    [Test]
    public void A_403_from_GitHub_is_a_rejection_naming_the_permission_and_nothing_reaches_the_server()
    {
        Issuer.Answer = IdTokenAnswer.Forbidden;
        var request = FederatedSources.Request(FederationServers.GitHubClient, ClientAuthMethod.GitHubOidc, FederatedSources.GitHub(_http));
        var before = Server.TokenRequestCount;

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => RequestTokenAsync(request))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.Message, Does.Contain("403").And.Contain("id-token: write"));
            Assert.That(Server.TokenRequestCount, Is.EqualTo(before));
        }

        FederationServers.AssertNoSecretIn(failure.Message);
    }

    private Task<TokenResponse> RequestTokenAsync(TokenRequest request) =>
        new TokenClient(_http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(request, CancellationToken.None);

    private static string? Subject(TokenResponse response) => (string?)Claims(response.Token.Value.Reveal())["sub"];

    private static JObject Claims(string jwt) => JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[1])));
}
