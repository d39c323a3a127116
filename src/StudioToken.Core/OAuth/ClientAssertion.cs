using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.OAuth;

/// <summary>
/// The client assertion of private_key_jwt (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a JWT signed with the
/// client's private key. One is made for every request, retries and revocations included, so a server that remembers
/// <c>jti</c> values to stop replays never sees one twice.
/// </summary>
internal static class ClientAssertion
{
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Time for a slow network and a little clock skew; short, so an assertion that leaked is soon useless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>A signed assertion for <paramref name="client"/>, issued at <paramref name="now"/>.</summary>
    public static string Create(TokenRequest client, DateTimeOffset now)
    {
        var settings = client.ClientAssertionKey
            ?? throw new TokenConfigurationException("private-key", "is required for private_key_jwt; give the client's private key (PEM)");
        using var key = AssertionSigningKey.TryImport(settings.PrivateKeyPem, out var problem)
            ?? throw new TokenConfigurationException("private-key", problem!);

        var header = new JObject { ["alg"] = key.Algorithm, ["typ"] = settings.Type };
        if (settings.KeyId is not null)
        {
            header["kid"] = settings.KeyId;
        }

        // Whole seconds (RFC 7519 NumericDate). nbf = iat: Entra ID requires nbf, and it costs the others nothing.
        var issuedAt = now.ToUnixTimeSeconds();
        var claims = new JObject
        {
            ["iss"] = client.ClientId,
            ["sub"] = client.ClientId,
            ["aud"] = settings.Audience ?? client.TokenUrl.AbsoluteUri,
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + (long)Lifetime.TotalSeconds,
        };

        var signingInput = Encode(header) + "." + Encode(claims);
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string Encode(JObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToString(Formatting.None)));
}
