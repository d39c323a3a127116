using System.Net;
using System.Text;
using NUnit.Framework;

namespace StudioToken.Testing;

/// <summary>
/// An HTTP seam for a client of an outside service: records each request (body read before it is disposed) and gives
/// the queued answers in order; a request with no answer queued fails the test instead of passing by accident.
/// </summary>
public sealed class RecordingHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new();
    private readonly List<(HttpRequestMessage Request, string Body)> _requests = [];

    public IReadOnlyList<(HttpRequestMessage Request, string Body)> Requests => _requests;

    public RecordingHttpHandler ThenJson(HttpStatusCode status, string json)
    {
        _answers.Enqueue(() => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Add((request, body));
        return _answers.Count > 0
            ? _answers.Dequeue()()
            : throw new AssertionException($"unexpected request {request.Method} {request.RequestUri}");
    }
}
