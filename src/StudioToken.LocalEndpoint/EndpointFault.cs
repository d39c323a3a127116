namespace StudioToken.LocalEndpoint;

/// <summary>A misbehaviour the endpoint shows for one token request instead of serving it.</summary>
public abstract record EndpointFault
{
    // Only the faults below exist: the endpoint knows how to act out each of them.
    private protected EndpointFault()
    {
    }

    /// <summary>Answers 429 with this <c>Retry-After</c> value (delta-seconds or HTTP-date), sent verbatim.</summary>
    /// <param name="RetryAfter">The header value.</param>
    public sealed record TooManyRequests(string RetryAfter) : EndpointFault;

    /// <summary>Answers with this 5xx status and a small OAuth-style JSON error body.</summary>
    /// <param name="StatusCode">A status from 500 to 599.</param>
    public sealed record ServerError(int StatusCode) : EndpointFault
    {
        /// <summary>The status to answer with.</summary>
        public int StatusCode { get; } = StatusCode is >= 500 and <= 599
            ? StatusCode
            : throw new ArgumentOutOfRangeException(nameof(StatusCode), StatusCode, "A server error is a 5xx status; use RawResponse for others.");
    }

    /// <summary>Reads the request and never answers until the client disconnects or the endpoint is disposed.</summary>
    public sealed record Hang : EndpointFault;

    /// <summary>Reads the request, then aborts the connection with a TCP RST.</summary>
    public sealed record Reset : EndpointFault;

    /// <summary>Answers with exactly this status, content type, body and extra headers, for malformed or surprising responses.</summary>
    /// <param name="StatusCode">The status to send.</param>
    /// <param name="ContentType">The <c>Content-Type</c> value; empty sends no <c>Content-Type</c>.</param>
    /// <param name="Body">The body, sent as UTF-8.</param>
    /// <param name="Headers">Extra header fields; a field named like a default one (e.g. <c>Content-Length</c>) replaces it.</param>
    public sealed record RawResponse(int StatusCode, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null) : EndpointFault;

    /// <summary>Answers 200 with a JSON-looking token response of exactly this many bytes, to test a client's size cap.</summary>
    /// <param name="Bytes">The body length in bytes.</param>
    public sealed record OversizeBody(int Bytes) : EndpointFault
    {
        /// <summary>The body length in bytes.</summary>
        public int Bytes { get; } = Bytes >= 0 ? Bytes : throw new ArgumentOutOfRangeException(nameof(Bytes), Bytes, "A body length cannot be negative.");
    }
}
