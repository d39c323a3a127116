using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.Storage;

/// <summary>The contents of <c>token.json</c>: everything about the current token except the token.</summary>
public sealed record TokenMetadata(
    string TokenType,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RefreshedAt,
    long Generation,
    string? Scope,
    Uri TokenUrl,
    string? LastError)
{
    public const string FileName = "token.json";

    public string ToJson()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.Indented })
        {
            writer.WriteStartObject();
            writer.WritePropertyName("token_type");
            writer.WriteValue(TokenType);
            writer.WritePropertyName("expires_at");
            writer.WriteValue(Rfc3339(ExpiresAt));
            writer.WritePropertyName("expires_at_unix");
            writer.WriteValue(ExpiresAt.ToUnixTimeSeconds());
            writer.WritePropertyName("refreshed_at");
            writer.WriteValue(Rfc3339(RefreshedAt));
            writer.WritePropertyName("generation");
            writer.WriteValue(Generation);
            writer.WritePropertyName("scope");
            writer.WriteValue(Scope);
            writer.WritePropertyName("token_url");
            writer.WriteValue(TokenUrl.AbsoluteUri);
            writer.WritePropertyName("last_error");
            writer.WriteValue(LastError);
            writer.WriteEndObject();
        }

        return text.ToString() + "\n";
    }

    /// <summary>Parses <c>token.json</c>; throws <see cref="FormatException"/> with what is wrong.</summary>
    public static TokenMetadata Parse(string json)
    {
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader) as JObject ?? throw new FormatException("token.json is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"token.json is not valid JSON ({ex.Message})", ex);
        }

        return new TokenMetadata(
            Required(root, "token_type"),
            ParseTime(Required(root, "expires_at"), "expires_at"),
            ParseTime(Required(root, "refreshed_at"), "refreshed_at"),
            root["generation"] is JValue { Value: long generation } ? generation : throw new FormatException("token.json has no integer generation"),
            root["scope"] is JValue { Type: JTokenType.String } s ? (string?)s : null,
            Uri.TryCreate(Required(root, "token_url"), UriKind.Absolute, out var url) ? url : throw new FormatException("token.json has no valid token_url"),
            root["last_error"] is JValue { Type: JTokenType.String } e ? (string?)e : null);
    }

    public static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Required(JObject root, string name) =>
        root[name] is JValue { Type: JTokenType.String } v && (string?)v is { Length: > 0 } text
            ? text
            : throw new FormatException($"token.json has no {name}");

    private static DateTimeOffset ParseTime(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"token.json has an invalid {name}");
}
