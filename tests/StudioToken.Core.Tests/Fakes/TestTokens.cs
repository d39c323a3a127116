using System.Buffers.Text;
using System.Text;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Fakes;

/// <summary>Builds tokens and JWTs for tests.</summary>
internal static class TestTokens
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public static AccessToken Issued(string value, DateTimeOffset issuedAt, TimeSpan lifetime, double refreshAt = 0.5, string? scope = "studio:script") =>
        new(new Secret(value), "Bearer", scope, issuedAt, issuedAt + lifetime, issuedAt + lifetime * refreshAt);

    /// <summary>An unsigned JWS compact token with the given payload JSON; the signature part is junk, nobody verifies it.</summary>
    public static string Jwt(string payloadJson)
    {
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}"""));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return $"{header}.{payload}.c2lnbmF0dXJl";
    }

    public static string JwtExpiringAt(DateTimeOffset exp) => Jwt($$"""{"sub":"ci","exp":{{exp.ToUnixTimeSeconds()}}}""");
}
