using System.Net;
using System.Text;

namespace StudioToken.Core.OAuth;

/// <summary>
/// Reads a server's answer as UTF-8 text, refusing anything over <see cref="TokenResponseParser.MaxBodyBytes"/> unread:
/// token responses and metadata documents are a few kilobytes, and a server is not trusted with our memory.
/// </summary>
internal static class ResponseBody
{
    /// <param name="speaker">Who answered, to start the one-line message with, e.g. "token endpoint".</param>
    public static async Task<string> ReadAsync(HttpResponseMessage response, string speaker, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > TokenResponseParser.MaxBodyBytes)
        {
            throw TooLarge(response.StatusCode, speaker);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[TokenResponseParser.MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > TokenResponseParser.MaxBodyBytes)
        {
            throw TooLarge(response.StatusCode, speaker);
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"{speaker} answered {(int)response.StatusCode} with a body that is not UTF-8 text", response.StatusCode);
        }
    }

    private static TokenRequestException TooLarge(HttpStatusCode status, string speaker) =>
        new(TokenFailureKind.BadResponse, $"{speaker} answered {(int)status} with a body over {TokenResponseParser.MaxBodyBytes / 1024 / 1024} MiB; refusing to read it", status);
}
