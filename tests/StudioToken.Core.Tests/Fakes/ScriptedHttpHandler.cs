using System.Net;
using System.Text;

namespace StudioToken.Core.Tests.Fakes;

/// <summary>A request as the handler saw it, with the body already read (the content is disposed after the call).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri? Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The form body as name/value pairs, decoded the way a server would (RFC 6749 Appendix B).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form() =>
        Body.Length == 0
            ? []
            : Body.Split('&')
                .Select(pair => pair.Split('=', 2))
                .Select(parts => new KeyValuePair<string, string>(WebUtility.UrlDecode(parts[0]), WebUtility.UrlDecode(parts.Length > 1 ? parts[1] : string.Empty)))
                .ToList();

    public IReadOnlyList<string> FormValues(string name) => [.. Form().Where(p => p.Key == name).Select(p => p.Value)];
}

/// <summary>
/// Fake token endpoint: answers a FIFO script and fails the test on any request it was not told to expect,
/// so a test that sends one request too many (a retry, a followed redirect) cannot pass by accident.
/// </summary>
internal sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests => _requests;

    public int Remaining => _script.Count;

    public ScriptedHttpHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public ScriptedHttpHandler Then(Func<HttpResponseMessage> response) => Then((_, _) => Task.FromResult(response()));

    public ScriptedHttpHandler ThenJson(HttpStatusCode status, string json, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return response;
        });

    public ScriptedHttpHandler ThenToken(string accessToken = "tok-1", int expiresIn = 3600) =>
        ThenJson(HttpStatusCode.OK, $$"""{"access_token":"{{accessToken}}","token_type":"Bearer","expires_in":{{expiresIn}}}""");

    /// <summary>An endpoint that accepts the request and never answers; only cancellation ends the wait.</summary>
    public ScriptedHttpHandler ThenNeverAnswer() =>
        Then((_, cancellationToken) =>
        {
            var pending = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
            return pending.Task;
        });

    public ScriptedHttpHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers
            .Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Add(new RecordedRequest(request.Method, request.RequestUri, headers, body));

        if (!_script.TryDequeue(out var answer))
        {
            throw new AssertionException($"unexpected request #{_requests.Count}: {request.Method} {request.RequestUri} (the script had no more answers)");
        }

        var response = await answer(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}
