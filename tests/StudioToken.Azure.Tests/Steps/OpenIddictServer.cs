using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Steps;

/// <summary>
/// One real OpenIddict server for the step tests: it takes seconds to start on two cores. Hour-long tokens, so
/// "revoked, not skipped as expired" never races the server's own clock.
/// </summary>
[SetUpFixture]
public sealed class OpenIddictServer
{
    private static OpenIddictTestServer? _server;

    public static OpenIddictTestServer Instance => _server ?? throw new InvalidOperationException("the OpenIddict server has not started");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromHours(1) });

        // The first token request warms the server (JIT, key material) so no test pays for it against its timeout.
        var client = TestClient.DefaultBasic;
        using var http = TokenClient.CreateHttpClient(new SocketsHttpHandler { UseProxy = false });
        var warmUp = new TokenRequest { TokenUrl = _server.TokenUrl, ClientId = client.ClientId, ClientSecret = new Secret(client.ClientSecret), Scope = TestScopes.Script, RequestTimeout = TimeSpan.FromMinutes(2) };
        await new TokenClient(http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(warmUp, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
