using System.Net;
using System.Net.Http.Headers;
using StudioToken.GitHub.Jobs;

namespace StudioToken.GitHub.Tests.Jobs;

public sealed class ConditionalRequestHandlerTests
{
    private static readonly Uri Jobs = new("https://api.github.example/repos/org/repo/actions/runs/1/attempts/1/jobs");

    [Test]
    public async Task Sends_the_remembered_ETag_and_replays_the_body_on_304()
    {
        var inner = new RecordingHandler(
            _ => Ok("{\"jobs\":[]}", "\"v1\""),
            request => request.Headers.IfNoneMatch.Contains(new EntityTagHeaderValue("\"v1\"")) ? new HttpResponseMessage(HttpStatusCode.NotModified) : Ok("wrong", null));
        using var handler = new ConditionalRequestHandler(inner);
        using var client = new HttpClient(handler);

        var first = await client.GetStringAsync(Jobs);
        using var second = await client.GetAsync(Jobs);

        Assert.That(first, Is.EqualTo("{\"jobs\":[]}"));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo("{\"jobs\":[]}"));
        Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(handler.NotModifiedCount, Is.EqualTo(1));
        Assert.That(inner.Requests[0].Headers.IfNoneMatch, Is.Empty, "nothing to match the first time");
    }

    [Test]
    public async Task A_changed_answer_replaces_the_remembered_one()
    {
        var inner = new RecordingHandler(_ => Ok("one", "\"a\""), _ => Ok("two", "\"b\""), request => request.Headers.IfNoneMatch.Single().Tag == "\"b\"" ? new HttpResponseMessage(HttpStatusCode.NotModified) : Ok("stale", null));
        using var handler = new ConditionalRequestHandler(inner);
        using var client = new HttpClient(handler);

        await client.GetStringAsync(Jobs);
        await client.GetStringAsync(Jobs);

        Assert.That(await client.GetStringAsync(Jobs), Is.EqualTo("two"));
    }

    [Test]
    public async Task Answers_without_an_ETag_are_not_remembered()
    {
        var inner = new RecordingHandler(_ => Ok("one", null), _ => Ok("two", null));
        using var handler = new ConditionalRequestHandler(inner);
        using var client = new HttpClient(handler);

        await client.GetStringAsync(Jobs);
        await client.GetStringAsync(Jobs);

        Assert.That(inner.Requests[1].Headers.IfNoneMatch, Is.Empty);
    }

    private static HttpResponseMessage Ok(string body, string? etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (etag is not null)
        {
            response.Headers.ETag = new EntityTagHeaderValue(etag);
        }

        return response;
    }

    /// <summary>Answers a fixed script, one entry per request; any request beyond it fails the test.</summary>
    private sealed class RecordingHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.That(Requests, Has.Count.LessThan(script.Length), $"unexpected request {request.RequestUri}");
            Requests.Add(request);
            return Task.FromResult(script[Requests.Count - 1](request));
        }
    }
}
