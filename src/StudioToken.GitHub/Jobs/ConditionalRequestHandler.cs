using System.Net;
using System.Net.Http.Headers;

namespace StudioToken.GitHub.Jobs;

/// <summary>
/// Makes repeated GETs conditional: remembers each answer's ETag and body, sends <c>If-None-Match</c>, and turns a
/// 304 back into the remembered answer. GitHub does not count 304s against the rate limit, so polling a job once a
/// minute for six hours costs almost nothing.
/// </summary>
public sealed class ConditionalRequestHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly Dictionary<string, (EntityTagHeaderValue ETag, byte[] Body, string? MediaType)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How many answers were 304 Not Modified (for tests and logs).</summary>
    public int NotModifiedCount { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = request.RequestUri?.AbsoluteUri;
        (EntityTagHeaderValue ETag, byte[] Body, string? MediaType) cached = default;
        var haveCached = false;
        if (request.Method == HttpMethod.Get && key is not null)
        {
            lock (_gate)
            {
                haveCached = _cache.TryGetValue(key, out cached);
            }

            if (haveCached)
            {
                request.Headers.IfNoneMatch.Add(cached.ETag);
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (haveCached && response.StatusCode == HttpStatusCode.NotModified)
        {
            NotModifiedCount++;
            var replay = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(cached.Body ?? []) };
            replay.Content.Headers.ContentType = cached.MediaType is null ? null : new MediaTypeHeaderValue(cached.MediaType);
            foreach (var header in response.Headers)
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Dispose();
            return replay;
        }

        if (request.Method == HttpMethod.Get && key is not null && response.IsSuccessStatusCode && response.Headers.ETag is { } etag)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            lock (_gate)
            {
                _cache[key] = (etag, body, mediaType);
            }

            var copy = new ByteArrayContent(body);
            foreach (var header in response.Content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = copy;
        }

        return response;
    }
}
