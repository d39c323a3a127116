using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>One real OpenIddict server for the whole assembly: it takes seconds to start on two cores.</summary>
[SetUpFixture]
public sealed class OpenIddictServer
{
    /// <summary>Short enough to see several rotations in a test of a few seconds.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(4);

    private static OpenIddictTestServer? _server;

    public static OpenIddictTestServer Instance => _server ?? throw new InvalidOperationException("the OpenIddict server has not started");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions
        {
            AccessTokenLifetime = AccessTokenLifetime,
            Clients = [TestClient.DefaultBasic, TestClient.DefaultPost, .. KeyClients.All.Select(client => client.Registration)],
        });

        // The first request warms the server (JIT, key material): on two shared cores it can take many seconds.
        var client = TestClient.DefaultPost;
        using var warmUp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });
        using var response = await warmUp.PostAsync(_server.TokenUrl, form);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>
    /// A private_key_jwt client's settings, the key as PEM text in <c>STUDIO_PRIVATE_KEY</c>, and the assertion
    /// addressed and typed as OpenIddict wants it (the defaults suit most other servers, not this one).
    /// </summary>
    public static Dictionary<string, string> EnvironmentFor(KeyClient client) => new()
    {
        ["STUDIO_TOKEN_URL"] = Instance.TokenUrl.AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = client.ClientId,
        ["STUDIO_PRIVATE_KEY"] = client.PrivateKeyPem,
        ["STUDIO_ASSERTION_AUDIENCE"] = Instance.Issuer.AbsoluteUri,
        ["STUDIO_ASSERTION_TYPE"] = "client-authentication+jwt",
        ["STUDIO_SCOPE"] = TestScopes.Script,
    };

    public static Dictionary<string, string> EnvironmentFor(TestClient client) => new()
    {
        ["STUDIO_TOKEN_URL"] = Instance.TokenUrl.AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = client.ClientId,
        ["STUDIO_CLIENT_SECRET"] = client.ClientSecret,
        ["STUDIO_CLIENT_AUTH"] = client.Auth == ClientAuthStyle.Basic ? "client_secret_basic" : "client_secret_post",
        ["STUDIO_SCOPE"] = TestScopes.Script,
    };
}
