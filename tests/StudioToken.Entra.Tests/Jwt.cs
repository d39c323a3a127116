using System.Buffers.Text;
using System.Text.Json;

namespace StudioToken.Entra.Tests;

/// <summary>The parts of a compact JWS, decoded for assertions on what MSAL signed.</summary>
internal sealed record Jwt(JsonElement Header, JsonElement Payload, byte[] SignedBytes, byte[] Signature)
{
    public static Jwt Parse(string compact)
    {
        var parts = compact.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3), "a compact JWS has three parts");
        return new Jwt(
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement,
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement,
            System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Base64Url.DecodeFromChars(parts[2]));
    }

    /// <summary>A stand-in for a CI platform's ID token: JWT-shaped, numbered, never valid anywhere.</summary>
    public static string FakeIdToken(int number) =>
        $"eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.{Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($$"""{"sub":"repo:org/repo:ref:refs/heads/main","n":{{number}}}"""))}.c2lnbmF0dXJl{number}";
}
