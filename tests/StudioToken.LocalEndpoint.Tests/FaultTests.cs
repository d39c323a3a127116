using System.Net;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Tests;

[CancelAfter(30_000)]
public sealed class FaultTests
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

    [TestCase("120")]
    [TestCase("Wed, 21 Oct 2015 07:28:00 GMT")]
    public async Task Answers_429_with_the_queued_Retry_After_value_verbatim(string retryAfter)
    {
        _endpoint.EnqueueFault(new EndpointFault.TooManyRequests(retryAfter));

        using var response = await SendValidRequestAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.GetValues("Retry-After"), Is.EqualTo(new[] { retryAfter }));
        Assert.That(JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation)).Value<string>("error"), Is.Not.Empty);
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task Answers_the_queued_server_error_status(int statusCode)
    {
        _endpoint.EnqueueFault(new EndpointFault.ServerError(statusCode));

        using var response = await SendValidRequestAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(statusCode));
        Assert.That(_endpoint.TokensIssued, Is.Zero);
    }

    [Test]
    public void Refuses_a_server_error_that_is_not_5xx() =>
        Assert.That(() => new EndpointFault.ServerError(404), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void Resets_the_connection_after_reading_the_request()
    {
        _endpoint.EnqueueFault(new EndpointFault.Reset());

        Assert.That(SendValidRequestAsync, Throws.InstanceOf<HttpRequestException>());
        Assert.That(_endpoint.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Hangs_until_the_client_cancels_its_own_request()
    {
        _endpoint.EnqueueFault(new EndpointFault.Hang());
        using var clientCancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        using var request = TokenRequests.Basic(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret);

        var pending = _client.SendAsync(request, clientCancellation.Token);
        await _endpoint.WaitForRequestAsync(1, Cancellation);
        Assert.That(pending.IsCompleted, Is.False);
        await clientCancellation.CancelAsync();

        Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Sends_a_queued_redirect_without_following_it()
    {
        _endpoint.EnqueueFault(new EndpointFault.RawResponse(302, "text/html", "<a href=\"/login\">moved</a>", new Dictionary<string, string> { ["Location"] = "/login" }));

        using var response = await SendValidRequestAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri("/login", UriKind.Relative)));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }

    [TestCase("{\"token_type\":\"Bearer\",\"expires_in\":3600}")]
    [TestCase("{\"access_token\":\"abc\",\"token_type\":\"mac\",\"expires_in\":3600}")]
    [TestCase("{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":\"abc\"}")]
    [TestCase("{\"access_token\":\"ab\\r\\nc\",\"token_type\":\"Bearer\",\"expires_in\":3600}")]
    [TestCase("<html><body>Sign in</body></html>")]
    public async Task Sends_a_queued_malformed_body_verbatim(string body)
    {
        _endpoint.EnqueueFault(new EndpointFault.RawResponse(200, "application/json", body));

        using var response = await SendValidRequestAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(Cancellation), Is.EqualTo(body));
    }

    [Test]
    public async Task Sends_an_empty_response_without_a_content_type()
    {
        _endpoint.EnqueueFault(new EndpointFault.RawResponse(200, "", ""));

        using var response = await SendValidRequestAsync();

        Assert.That(response.Content.Headers.ContentType, Is.Null);
        Assert.That(await response.Content.ReadAsByteArrayAsync(Cancellation), Is.Empty);
    }

    [Test]
    public async Task Sends_an_oversize_body_of_exactly_the_requested_length()
    {
        const int bytes = (1024 * 1024) + 1;
        _endpoint.EnqueueFault(new EndpointFault.OversizeBody(bytes));

        using var response = await SendValidRequestAsync();
        var body = await response.Content.ReadAsByteArrayAsync(Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Has.Length.EqualTo(bytes));
        Assert.That(System.Text.Encoding.ASCII.GetString(body, 0, 17), Is.EqualTo("{\"access_token\":\""));
    }

    [Test]
    public async Task Consumes_faults_first_in_first_out_and_then_serves_normally()
    {
        _endpoint.EnqueueFault(new EndpointFault.ServerError(503));
        _endpoint.EnqueueFault(new EndpointFault.TooManyRequests("1"));

        using var first = await SendValidRequestAsync();
        using var second = await SendValidRequestAsync();
        using var third = await SendValidRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_endpoint.RequestCount, Is.EqualTo(3));
            Assert.That(_endpoint.TokensIssued, Is.EqualTo(1));
        });
    }

    private static CancellationToken Cancellation => TestContext.CurrentContext.CancellationToken;

    private async Task<HttpResponseMessage> SendValidRequestAsync()
    {
        using var request = TokenRequests.Basic(_endpoint.TokenUrl, "demo-client", TokenRequests.Secret);
        return await _client.SendAsync(request, Cancellation);
    }
}
