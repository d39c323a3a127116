using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StudioToken.LocalEndpoint.Tests;

[CancelAfter(30_000)]
public sealed class HttpWireTests
{
    private HttpClient _client = null!;
    private LocalTokenEndpoint _endpoint = null!;

    [SetUp]
    public void StartEndpoint()
    {
        _client = TokenRequests.CreateClient();
        _endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
    }

    [TearDown]
    public async Task StopEndpoint()
    {
        await _endpoint.DisposeAsync();
        _client.Dispose();
        UnobservedTaskExceptionGuard.AssertNoneSoFar();
    }

    [Test]
    public void Listens_on_loopback_at_the_configured_path()
    {
        Assert.That(_endpoint.TokenUrl.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(_endpoint.TokenUrl.AbsolutePath, Is.EqualTo("/api/v2/oauth/token"));
    }

    [Test]
    public async Task Answers_404_for_other_paths_without_counting_them()
    {
        using var response = await _client.SendAsync(TokenRequests.Basic(new Uri(_endpoint.TokenUrl, "/elsewhere"), "demo-client", TokenRequests.Secret), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_endpoint.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Answers_405_for_other_methods_on_the_token_path()
    {
        using var response = await _client.GetAsync(_endpoint.TokenUrl, Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(["POST"]));
        Assert.That(_endpoint.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Answers_413_for_a_body_over_64_KiB()
    {
        using var request = TokenRequests.Form(_endpoint.TokenUrl, [new("grant_type", "client_credentials"), new("padding", new string('x', 64 * 1024))]);

        using var response = await _client.SendAsync(request, Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Closes_every_connection_after_one_response()
    {
        using var response = await _client.SendAsync(TokenRequests.Basic(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);

        Assert.That(response.Headers.ConnectionClose, Is.True);
    }

    [Test]
    public async Task Closes_the_connection_on_malformed_HTTP_without_answering()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _endpoint.TokenUrl.Port, Cancellation);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("THIS IS NOT HTTP\r\n\r\n"), Cancellation);

        var read = await stream.ReadAsync(new byte[256], Cancellation);

        Assert.That(read, Is.Zero);
        Assert.That(_endpoint.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Records_requests_with_case_insensitive_headers_and_the_decoded_form()
    {
        using var response = await _client.SendAsync(TokenRequests.Post(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret, "studio:script"), Cancellation);

        var recorded = _endpoint.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(recorded.Method, Is.EqualTo("POST"));
            Assert.That(recorded.Target, Is.EqualTo("/api/v2/oauth/token"));
            Assert.That(recorded.Headers["content-type"], Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(recorded.Form, Does.Contain(new KeyValuePair<string, string>("scope", "studio:script")));
            Assert.That(recorded.Form, Does.Contain(new KeyValuePair<string, string>("client_id", "demo-client")));
            Assert.That(recorded.Body, Does.Contain("grant_type=client_credentials"));
        });
    }

    [Test]
    public async Task Completes_a_wait_once_the_counted_request_has_arrived()
    {
        var waiting = _endpoint.WaitForRequestAsync(2, Cancellation);
        using var first = await _client.SendAsync(TokenRequests.Basic(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);
        Assert.That(waiting.IsCompleted, Is.False);

        using var second = await _client.SendAsync(TokenRequests.Post(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);

        Assert.That((await waiting).Headers.ContainsKey("Authorization"), Is.False);
    }

    private static CancellationToken Cancellation => TestContext.CurrentContext.CancellationToken;
}
