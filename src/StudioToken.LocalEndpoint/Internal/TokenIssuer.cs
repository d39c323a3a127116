using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Issues ES256-signed JWT access tokens (RFC 9068 shape) with a key that lives as long as the endpoint.</summary>
internal sealed class TokenIssuer : IDisposable
{
    public const string Audience = "studio";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Lock _signing = new();
    private readonly string _issuer;
    private readonly TimeProvider _timeProvider;
    private readonly string _encodedHeader;

    public TokenIssuer(string issuer, TimeProvider timeProvider)
    {
        _issuer = issuer;
        _timeProvider = timeProvider;
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var x = Base64Url.EncodeToString(point.X);
        var y = Base64Url.EncodeToString(point.Y);
        // RFC 7638 thumbprint: the required members in lexicographic order, no whitespace.
        var thumbprint = CompactJson.Write(new JObject { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = x, ["y"] = y });
        KeyId = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprint)));
        PublicKeyJwk = CompactJson.Write(new JObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = x,
            ["y"] = y,
            ["kid"] = KeyId,
            ["use"] = "sig",
            ["alg"] = "ES256",
        });
        _encodedHeader = Encode(new JObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = KeyId });
    }

    public string KeyId { get; }

    public string PublicKeyJwk { get; }

    public string Issue(string clientId, string scope, TimeSpan lifetime)
    {
        var issuedAt = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JObject
        {
            ["iss"] = _issuer,
            ["sub"] = clientId,
            ["client_id"] = clientId,
            ["aud"] = Audience,
            ["scope"] = scope,
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + (long)lifetime.TotalSeconds,
            ["jti"] = RandomNumberGenerator.GetHexString(32, lowercase: true),
        };
        var signingInput = $"{_encodedHeader}.{Encode(claims)}";
        byte[] signature;
        // ECDsa instances are not documented as thread-safe, and connections are served concurrently.
        lock (_signing)
        {
            // The default signature format is IEEE P1363 (r || s), which is what JWS ES256 requires.
            signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        }

        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(JObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CompactJson.Write(json)));
}
