using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.Tests.Fakes;

/// <summary>A compact JWS taken apart the way a server would, to check its header, claims and signature.</summary>
internal sealed record SignedJwt(JObject Header, JObject Claims, byte[] SigningInput, byte[] Signature)
{
    public static SignedJwt Parse(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3), "a compact JWS has three parts");
        return new SignedJwt(
            JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]))),
            JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]))),
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Base64Url.DecodeFromChars(parts[2]));
    }

    public string? HeaderText(string name) => (string?)Header[name];

    public string? ClaimText(string name) => (string?)Claims[name];

    public long Claim(string name) => (long)Claims[name]!;

    /// <summary>RFC 7518 §3.3 (RS256: PKCS#1 v1.5, SHA-256) and §3.4 (ESxxx: r‖s of fixed width, the hash the curve pairs with).</summary>
    public bool IsSignedBy(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => rsa.VerifyData(SigningInput, Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.VerifyData(SigningInput, Signature, ec.KeySize switch
        {
            256 => HashAlgorithmName.SHA256,
            384 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        }, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => false,
    };
}
