using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// An RS256 signing key of the local ID-token issuer, and the JSON Web Key Set that publishes its public half.
/// Built by hand rather than through a token library so the tests control every header and claim a CI platform sends.
/// </summary>
public sealed class IdTokenSigner : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    /// <summary>The <c>kid</c> in every token's header and in the key set: what a verifier picks the key by.</summary>
    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// A signed JWT. The header carries <c>alg</c> RS256, <c>kid</c> and <paramref name="type"/> (both CI platforms
    /// send <c>JWT</c>); the claims go out as given.
    /// </summary>
    public string Sign(JsonObject claims, string type = "JWT")
    {
        ArgumentNullException.ThrowIfNull(claims);
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = type };
        var signingInput = Encode(header) + "." + Encode(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The public key set (RFC 7517) a verifier fetches from <c>jwks_uri</c>.</summary>
    public JsonObject JsonWebKeySet()
    {
        var publicKey = _key.ExportParameters(includePrivateParameters: false);
        var key = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64Url.EncodeToString(publicKey.Modulus),
            ["e"] = Base64Url.EncodeToString(publicKey.Exponent),
        };
        return new JsonObject { ["keys"] = new JsonArray(key) };
    }

    /// <summary>The public key as PEM, for registering it with a server directly instead of through the key set.</summary>
    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public void Dispose() => _key.Dispose();

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
