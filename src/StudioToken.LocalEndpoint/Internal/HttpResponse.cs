using System.Text;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>A complete response to write on a connection that is closed afterwards.</summary>
internal sealed record HttpResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static HttpResponse Json(int statusCode, JObject body, params (string Name, string Value)[] headers) =>
        Create(statusCode, "application/json", Encoding.UTF8.GetBytes(CompactJson.Write(body)), headers);

    public static HttpResponse Text(int statusCode, string text) =>
        Create(statusCode, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), []);

    /// <summary>An RFC 6749 §5.2 error response.</summary>
    public static HttpResponse OAuthError(int statusCode, string error, string? description = null, params (string Name, string Value)[] headers)
    {
        var body = new JObject { ["error"] = error };
        if (description is not null)
        {
            body["error_description"] = description;
        }

        // RFC 6749 §5.1 asks for no-store on token responses; errors are token responses too.
        return Json(statusCode, body, [("Cache-Control", "no-store"), .. headers]);
    }

    private static HttpResponse Create(int statusCode, string contentType, byte[] body, (string Name, string Value)[] headers) =>
        new(statusCode, [new("Content-Type", contentType), .. headers.Select(header => KeyValuePair.Create(header.Name, header.Value))], body);
}
