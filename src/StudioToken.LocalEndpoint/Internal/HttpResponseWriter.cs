using System.Text;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Writes HTTP/1.1 responses; every one says <c>Connection: close</c> because the server closes after it.</summary>
internal static class HttpResponseWriter
{
    public static async Task WriteAsync(Stream stream, HttpResponse response, CancellationToken cancellationToken)
    {
        await WriteHeadAsync(stream, response.StatusCode, response.Headers, response.Body.Length, cancellationToken);
        await stream.WriteAsync(response.Body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Tells a client that waits before sending its body (<c>Expect: 100-continue</c>) to go ahead.</summary>
    public static async Task WriteContinueAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Writes status line and header fields; a given field replaces the default one of the same name.</summary>
    public static async Task WriteHeadAsync(
        Stream stream, int statusCode, IEnumerable<KeyValuePair<string, string>> headers, long contentLength, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(headers);
        AddUnlessPresent(fields, "Content-Length", contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddUnlessPresent(fields, "Connection", "close");

        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(statusCode).Append(' ').Append(ReasonPhrase(statusCode)).Append("\r\n");
        foreach (var (name, value) in fields)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
    }

    private static void AddUnlessPresent(List<KeyValuePair<string, string>> fields, string name, string value)
    {
        if (!fields.Exists(field => string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase)))
        {
            fields.Add(new(name, value));
        }
    }

    // Clients ignore the phrase (RFC 9112 §4), but people reading a capture do not.
    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
