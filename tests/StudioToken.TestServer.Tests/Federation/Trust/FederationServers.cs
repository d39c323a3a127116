using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation.Trust;

/// <summary>
/// One ID-token issuer and one OpenIddict server that trusts it, for the federation tests: the server takes seconds
/// to start. The issuer starts first, since the clients' trust names its URL.
/// </summary>
[SetUpFixture]
public sealed class FederationServers
{
    private static IdTokenIssuer? _issuer;
    private static OpenIddictTestServer? _server;
    private static HttpClient? _http;

    public static IdTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("the issuer has not started");

    public static OpenIddictTestServer Server => _server ?? throw new InvalidOperationException("the server has not started");

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

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        _issuer = await IdTokenIssuer.StartAsync();
        GitHubClient = TestClient.Federated("github-client", Issuer.GitHubCredential());
        AzureClient = TestClient.Federated("azure-client", Issuer.AzureCredential());
        ExchangeClient = TestClient.FederatedExchange("exchange-client", Issuer.GitHubCredential());
        OtherRepositoryClient = TestClient.Federated("other-repo-client", Issuer.GitHubCredential() with { Subject = "repo:octo-org/other-repo:ref:refs/heads/main" });
        IssuerKeyClient = TestClient.WithPublicKeys("issuer-key-client", Issuer.PublicKeyPem);
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions
        {
            Clients = [TestClient.DefaultBasic, GitHubClient, AzureClient, ExchangeClient, OtherRepositoryClient, IssuerKeyClient],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }

        _http?.Dispose();
    }
}
