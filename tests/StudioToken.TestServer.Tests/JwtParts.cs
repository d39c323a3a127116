using System.Buffers.Text;
using System.Text.Json;

namespace StudioToken.TestServer.Tests;

// Reads a JWT's header and claims without checking anything, to see what a server or issuer put in it.
internal static class JwtParts
{
    public static JsonElement Header(string jwt) => Part(jwt, 0);

    public static JsonElement Payload(string jwt) => Part(jwt, 1);

    private static JsonElement Part(string jwt, int index)
    {
        using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[index]));
        return json.RootElement.Clone();
    }
}
