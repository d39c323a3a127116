using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.OAuth;

/// <summary>
/// One JSON object and nothing after it, read with LINQ-to-JSON only (NativeAOT): dates stay strings, numbers keep
/// their precision, nesting is bounded. Whatever a server sends is data to check, never a type to bind.
/// </summary>
internal static class StrictJson
{
    /// <exception cref="JsonException">The text is not exactly one JSON object.</exception>
    public static JObject ParseObject(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
            MaxDepth = 32,
        };
        var token = JToken.ReadFrom(reader);
        if (reader.Read())
        {
            throw new JsonReaderException("trailing content after the JSON value");
        }

        return token as JObject ?? throw new JsonReaderException("not a JSON object");
    }
}
