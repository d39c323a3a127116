using System.Text;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Reads one HTTP/1.x request from a connection; anything it cannot parse is treated as malformed.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    // A token request's head is a few hundred bytes; the cap bounds what a broken client can make us buffer.
    private const int MaxHeadBytes = 16 * 1024;

    private readonly byte[] _buffer = new byte[MaxHeadBytes];
    private int _bodyStart;
    private int _end;

    /// <summary>The head, or null when the connection closed early or the head is malformed.</summary>
    public async Task<HttpRequestHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var headEnd = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (headEnd >= 0)
            {
                _bodyStart = headEnd + 4;
                return Parse(Encoding.Latin1.GetString(_buffer, 0, headEnd));
            }

            if (_end == _buffer.Length)
            {
                return null;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>The body of the given length, or null when the connection closed before all of it arrived.</summary>
    public async Task<byte[]?> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var buffered = Math.Min(length, _end - _bodyStart);
        _buffer.AsSpan(_bodyStart, buffered).CopyTo(body);
        _bodyStart += buffered;
        try
        {
            await stream.ReadExactlyAsync(body.AsMemory(buffered), cancellationToken);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        return body;
    }

    /// <summary>Discards input until the client closes or <paramref name="limit"/> bytes are gone.</summary>
    /// <remarks>Closing a socket with unread input sends RST, which can destroy a response the client has not read yet.</remarks>
    public async Task DiscardInputAsync(long limit, CancellationToken cancellationToken)
    {
        var discarded = (long)(_end - _bodyStart);
        _bodyStart = _end;
        while (discarded < limit)
        {
            var read = await stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            discarded += read;
        }
    }

    private static HttpRequestHead? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var first = 0;
        // RFC 9112 §2.2: a server should ignore at least one empty line before the request line.
        while (first < lines.Length && lines[first].Length == 0)
        {
            first++;
        }

        if (first == lines.Length || ParseRequestLine(lines[first]) is not var (method, target))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(first + 1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line.AsSpan(0, colon)) || line.Contains('\r', StringComparison.Ordinal) || line.Contains('\n', StringComparison.Ordinal))
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }

        var contentLength = 0L;
        if (headers.TryGetValue("Content-Length", out var length)
            && (length.Length == 0 || !length.All(char.IsAsciiDigit) || !long.TryParse(length, out contentLength)))
        {
            // Also rejects repeated, differing Content-Length fields, which were joined with ", ".
            return null;
        }

        return new HttpRequestHead(method, target, headers, contentLength);
    }

    private static (string Method, string Target)? ParseRequestLine(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || !IsToken(parts[0]) || parts[1].Length == 0 || parts[1].Any(char.IsControl) || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return null;
        }

        return (parts[0], parts[1]);
    }

    private static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
