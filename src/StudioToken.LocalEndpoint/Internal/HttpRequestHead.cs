namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Request line and header fields of one HTTP/1.x request.</summary>
internal sealed record HttpRequestHead(string Method, string Target, IReadOnlyDictionary<string, string> Headers, long ContentLength)
{
    public string Path => Target.IndexOf('?', StringComparison.Ordinal) is var query and >= 0 ? Target[..query] : Target;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
