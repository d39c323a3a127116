using StudioToken.TestServer;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>An <see cref="ActionImageFixture"/> with a real OpenIddict server of its own, started once for the fixture's tests.</summary>
public abstract class OpenIddictActionFixture : ActionImageFixture
{
    private OpenIddictTestServer? _server;

    protected OpenIddictTestServer Server => _server ?? throw new InvalidOperationException("the OpenIddict server has not started");

    /// <summary>The server's clients and token lifetime.</summary>
    protected abstract OpenIddictTestServerOptions ServerOptions { get; }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        if (HasImage)
        {
            _server = await OpenIddictTestServer.StartAsync(ServerOptions);
        }
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
