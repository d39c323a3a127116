using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Serialises LINQ-to-JSON trees without reflection, which keeps the endpoint NativeAOT-safe.</summary>
internal static class CompactJson
{
    public static string Write(JObject value)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            value.WriteTo(writer);
        }

        return text.ToString();
    }
}
