using System.Net.Sockets;
using System.Text;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Acts out an <see cref="EndpointFault"/> on the connection whose request it replaces.</summary>
internal static class FaultResponder
{
    private const string OversizePrefix = "{\"access_token\":\"";
    private const string OversizeSuffix = "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

    public static Task ActAsync(EndpointFault fault, Socket socket, Stream stream, HttpRequestReader reader, CancellationToken cancellationToken) =>
        fault switch
        {
            EndpointFault.TooManyRequests tooMany => HttpResponseWriter.WriteAsync(
                stream,
                HttpResponse.OAuthError(429, "temporarily_unavailable", "Too many requests.", ("Retry-After", tooMany.RetryAfter)),
                cancellationToken),
            EndpointFault.ServerError error => HttpResponseWriter.WriteAsync(
                stream,
                HttpResponse.OAuthError(error.StatusCode, error.StatusCode == 503 ? "temporarily_unavailable" : "server_error", "Injected server error."),
                cancellationToken),
            // Waiting for the client's end of the stream notices a disconnect without any timer.
            EndpointFault.Hang => reader.DiscardInputAsync(long.MaxValue, cancellationToken),
            EndpointFault.Reset => ResetAsync(socket),
            EndpointFault.RawResponse raw => HttpResponseWriter.WriteAsync(stream, ToResponse(raw), cancellationToken),
            EndpointFault.OversizeBody oversize => WriteOversizeAsync(stream, oversize.Bytes, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault."),
        };

    private static Task ResetAsync(Socket socket)
    {
        // Linger on with a zero timeout makes close() send RST instead of FIN.
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
        return Task.CompletedTask;
    }

    private static HttpResponse ToResponse(EndpointFault.RawResponse raw)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (raw.ContentType.Length > 0)
        {
            headers.Add(new("Content-Type", raw.ContentType));
        }

        headers.AddRange(raw.Headers ?? new Dictionary<string, string>());
        return new HttpResponse(raw.StatusCode, headers, Encoding.UTF8.GetBytes(raw.Body));
    }

    private static async Task WriteOversizeAsync(Stream stream, int bytes, CancellationToken cancellationToken)
    {
        await HttpResponseWriter.WriteHeadAsync(stream, 200, [new("Content-Type", "application/json"), new("Cache-Control", "no-store")], bytes, cancellationToken);
        var wrap = bytes >= OversizePrefix.Length + OversizeSuffix.Length;
        if (wrap)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(OversizePrefix), cancellationToken);
        }

        var padding = wrap ? bytes - OversizePrefix.Length - OversizeSuffix.Length : bytes;
        var chunk = new byte[Math.Min(padding, 64 * 1024)];
        chunk.AsSpan().Fill((byte)'A');
        for (var left = padding; left > 0; left -= chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), cancellationToken);
        }

        if (wrap)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(OversizeSuffix), cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }
}
