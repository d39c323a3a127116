using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Testing;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>The local ID-token issuer standing in for GitHub and Azure, and an OpenIddict server that trusts it, for the federated tests.</summary>
/// <remarks>Its own server with hour-long tokens: with the assembly's 4-second ones "revoked" could not be told from "expired".</remarks>
[SetUpFixture]
public sealed class FederationServers
{
    /// <summary>An audience a job asks for with <c>--oidc-audience</c>, as a server's trust would name it.</summary>
    public const string CustomAudience = "https://studio.example.com/federation";

    private static FederationRig? _rig;

    public static IdTokenIssuer Issuer => Rig.Issuer;

    public static OpenIddictTestServer Server => Rig.Server;

    /// <summary>Trusts the job's GitHub ID tokens for GitHub's default audience (the repository owner's URL).</summary>
    public static TestClient GitHubClient { get; private set; } = null!;

    /// <summary>Trusts the job's GitHub ID tokens asked for with <see cref="CustomAudience"/>.</summary>
    public static TestClient GitHubAudienceClient { get; private set; } = null!;

    /// <summary>Trusts the service connection's Azure Pipelines OIDC tokens.</summary>
    public static TestClient AzureClient { get; private set; } = null!;

    /// <summary>A public client that exchanges the job's GitHub ID tokens (RFC 8693).</summary>
    public static TestClient GitHubExchangeClient { get; private set; } = null!;

    /// <summary>A public client that exchanges the service connection's Azure tokens (RFC 8693).</summary>
    public static TestClient AzureExchangeClient { get; private set; } = null!;

    private static FederationRig Rig => _rig ?? throw new InvalidOperationException("the issuer and server have not started");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _rig = await FederationRig.StartAsync(issuer =>
        {
            GitHubClient = TestClient.Federated("github-client", issuer.GitHubCredential());
            GitHubAudienceClient = TestClient.Federated("github-audience-client", issuer.GitHubCredential(CustomAudience));
            AzureClient = TestClient.Federated("azure-client", issuer.AzureCredential());
            GitHubExchangeClient = TestClient.FederatedExchange("github-exchange-client", issuer.GitHubCredential());
            AzureExchangeClient = TestClient.FederatedExchange("azure-exchange-client", issuer.AzureCredential());
            return [TestClient.DefaultBasic, GitHubClient, GitHubAudienceClient, AzureClient, GitHubExchangeClient, AzureExchangeClient];
        }, TimeSpan.FromHours(1));

        // The first request warms the server (JIT, key material) so no test pays for it against its timeout.
        using var http = TokenClient.CreateHttpClient();
        var warmUp = new TokenRequest
        {
            TokenUrl = Server.TokenUrl,
            ClientId = TestClient.DefaultBasic.ClientId,
            ClientSecret = new Secret(TestClient.DefaultBasic.ClientSecret),
            Scope = TestScopes.Script,
            RequestTimeout = TimeSpan.FromMinutes(2),
        };
        await new TokenClient(http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(warmUp, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    /// <summary>Introspection as the secret client: OpenIddict tells it about any client's token.</summary>
    public static Task<bool> IsActiveAsync(string token) => Server.IsActiveAsync(token, TestClient.DefaultBasic);

    /// <summary>
    /// Fails if anything printed holds a secret of the federated flows: the platforms' bearer credentials, any ID token
    /// the issuer handed out, or the access tokens named.
    /// </summary>
    public static void AssertNoSecretIn(string printed, params string[] accessTokens)
    {
        SecretScan.AssertAbsent(printed, Issuer.GitHubRequestToken, "the GitHub ID-token request token");
        SecretScan.AssertAbsent(printed, Issuer.AzureAccessToken, "the Azure System.AccessToken");
        foreach (var idToken in Issuer.IssuedTokens)
        {
            SecretScan.AssertAbsent(printed, idToken, "an ID token");
        }

        foreach (var accessToken in accessTokens.Where(token => token.Length > 0))
        {
            SecretScan.AssertAbsent(printed, accessToken, "the access token");
        }
    }
}
