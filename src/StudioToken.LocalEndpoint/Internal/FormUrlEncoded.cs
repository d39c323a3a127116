using System.Net;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Decodes <c>application/x-www-form-urlencoded</c> text, where '+' means a space.</summary>
internal static class FormUrlEncoded
{
    public const string MediaType = "application/x-www-form-urlencoded";

    public static bool IsFormContentType(string? contentType) =>
        contentType is not null
        && string.Equals(contentType.Split(';')[0].Trim(), MediaType, StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (pair, "") : (pair[..equals], pair[(equals + 1)..]);
            fields.Add(new(Decode(name), Decode(value)));
        }

        return fields;
    }

    public static string Decode(string value) => WebUtility.UrlDecode(value);
}
