using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

// The claims of the two platforms' ID tokens: what a verifier checks (iss, sub, aud, times) plus, for GitHub, a few
// of the descriptive claims real tokens carry, so nothing downstream can rely on a token being minimal.
internal static class CiPlatformClaims
{
    public static JsonObject GitHub(string issuer, string subject, string audience, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var claims = Common(issuer, subject, audience, issuedAt, lifetime);
        claims["ref"] = "refs/heads/main";
        claims["repository"] = "octo-org/octo-repo";
        claims["repository_owner"] = "octo-org";
        claims["workflow"] = "ci";
        claims["event_name"] = "push";
        claims["runner_environment"] = "github-hosted";
        return claims;
    }

    public static JsonObject Azure(string issuer, string subject, string audience, DateTimeOffset issuedAt, TimeSpan lifetime) =>
        Common(issuer, subject, audience, issuedAt, lifetime);

    private static JsonObject Common(string issuer, string subject, string audience, DateTimeOffset issuedAt, TimeSpan lifetime) => new()
    {
        ["jti"] = Guid.NewGuid().ToString(),
        ["iss"] = issuer,
        ["sub"] = subject,
        ["aud"] = audience,
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
    };
}
