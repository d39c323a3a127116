namespace StudioToken.LocalEndpoint;

/// <summary>A request that reached the token path, as the endpoint read it, so tests can check what a client sent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The request target (path and query) as sent.</param>
/// <param name="Headers">Header fields with case-insensitive names; repeated fields are joined with ", ".</param>
/// <param name="Body">The body decoded as UTF-8.</param>
/// <param name="Form">The decoded fields of an <c>application/x-www-form-urlencoded</c> body in order, else empty.</param>
public sealed record RecordedRequest(
    string Method,
    string Target,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    IReadOnlyList<KeyValuePair<string, string>> Form)
{
    /// <summary>Shows method, target and header names only, because headers and body may carry credentials.</summary>
    public override string ToString() =>
        $"RecordedRequest {{ Method = {Method}, Target = {Target}, Headers = [{string.Join(", ", Headers.Keys)}], Body = {Body.Length} chars }}";
}
