using System.Net.Sockets;

namespace StudioToken.LocalEndpoint.Tests;

[CancelAfter(30_000)]
public sealed class LifecycleTests
{
    private HttpClient _client = null!;

    [SetUp]
    public void CreateClient() => _client = TokenRequests.CreateClient();

    [TearDown]
    public void DisposeClient()
    {
        _client.Dispose();
        UnobservedTaskExceptionGuard.AssertNoneSoFar();
    }

    [Test]
    public async Task Completes_dispose_with_a_hanging_request_in_flight()
    {
        var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
        endpoint.EnqueueFault(new EndpointFault.Hang());
        using var request = TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret);
        var pending = _client.SendAsync(request, Cancellation);
        await endpoint.WaitForRequestAsync(1, Cancellation);

        await endpoint.DisposeAsync();

        Assert.That(async () => await pending, Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task Stops_accepting_connections_once_disposed()
    {
        var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
        var port = endpoint.TokenUrl.Port;

        await endpoint.DisposeAsync();

        using var tcp = new TcpClient();
        Assert.That(async () => await tcp.ConnectAsync("127.0.0.1", port, Cancellation), Throws.InstanceOf<SocketException>());
    }

    [Test]
    public async Task Cancels_pending_waits_when_disposed()
    {
        var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
        var waiting = endpoint.WaitForRequestAsync(1, Cancellation);

        await endpoint.DisposeAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Refuses_options_with_a_lifetime_below_one_second() =>
        Assert.That(
            () => LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret, TokenLifetime = TimeSpan.FromMilliseconds(500) }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static CancellationToken Cancellation => TestContext.CurrentContext.CancellationToken;
}
