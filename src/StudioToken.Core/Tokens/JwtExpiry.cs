using System.Buffers.Text;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.Tokens;

/// <summary>Reads the <c>exp</c> claim of a JWS compact token without verifying it: only a fallback lifetime when the response has no <c>expires_in</c>.</summary>
public static class JwtExpiry
{
    public static DateTimeOffset? TryRead(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0 || parts[1].Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            using var reader = new JsonTextReader(new StringReader(payload)) { DateParseHandling = DateParseHandling.None };
            if (JToken.ReadFrom(reader) is not JObject claims)
            {
                return null;
            }

            return claims["exp"] switch
            {
                JValue { Value: long exp } => FromUnixSeconds(exp),
                JValue { Value: double exp } when exp is > 0 and < 253402300799 => FromUnixSeconds((long)Math.Floor(exp)),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
