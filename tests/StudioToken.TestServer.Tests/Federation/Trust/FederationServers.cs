using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation.Trust;

/// <summary>One issuer and one OpenIddict server that trusts it for the federation tests: the server takes seconds to start.</summary>
[SetUpFixture]
public sealed class FederationServers
{
    private static FederationRig? _rig;
    private static HttpClient? _http;

    public static IdTokenIssuer Issuer => Rig.Issuer;

    public static OpenIddictTestServer Server => Rig.Server;

    /// <summary>For the tests' own requests to both.</summary>
    public static HttpClient Http => _http ?? throw new InvalidOperationException("the servers have not started");

    /// <summary>Trusts GitHub tokens for the default audience (the repository owner's URL).</summary>
    public static TestClient GitHubClient { get; private set; } = null!;

    /// <summary>Trusts the service connection's Azure tokens.</summary>
    public static TestClient AzureClient { get; private set; } = null!;

    /// <summary>Public; exchanges GitHub tokens for access tokens (RFC 8693).</summary>
    public static TestClient ExchangeClient { get; private set; } = null!;

    /// <summary>Trusts GitHub tokens of another repository only.</summary>
    public static TestClient OtherRepositoryClient { get; private set; } = null!;

    /// <summary>Holds the issuer's public key as its own, as if its JWKS had been registered for it: what OpenIddict itself does with that.</summary>
    public static TestClient IssuerKeyClient { get; private set; } = null!;

    private static FederationRig Rig => _rig ?? throw new InvalidOperationException("the servers have not started");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        _rig = await FederationRig.StartAsync(issuer =>
        {
            GitHubClient = TestClient.Federated("github-client", issuer.GitHubCredential());
            AzureClient = TestClient.Federated("azure-client", issuer.AzureCredential());
            ExchangeClient = TestClient.FederatedExchange("exchange-client", issuer.GitHubCredential());
            OtherRepositoryClient = TestClient.Federated("other-repo-client", issuer.GitHubCredential() with { Subject = "repo:octo-org/other-repo:ref:refs/heads/main" });
            IssuerKeyClient = TestClient.WithPublicKeys("issuer-key-client", issuer.PublicKeyPem);
            return [TestClient.DefaultBasic, GitHubClient, AzureClient, ExchangeClient, OtherRepositoryClient, IssuerKeyClient];
        }, TimeSpan.FromHours(1));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        _http?.Dispose();
    }
}
