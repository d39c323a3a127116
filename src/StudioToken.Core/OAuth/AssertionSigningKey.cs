using System.Formats.Asn1;
using System.Security.Cryptography;
using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>
/// The client's private key read from PEM, signing with the JWS algorithm its type implies (RFC 7518 §3): RS256 for
/// RSA, ES256/ES384/ES512 for EC P-256/P-384/P-521. Every way a PEM can be unusable becomes one sentence that names
/// the fix and never quotes the key.
/// </summary>
internal sealed class AssertionSigningKey : IDisposable
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private const string Encrypted = "holds an encrypted private key, which cannot be unlocked unattended; decrypt it (openssl pkey -in key.pem -out plain.pem) and keep the plain key in the CI's secret store instead";
    private const string Damaged = "holds a PEM private key that cannot be read (damaged, truncated or wrongly labelled); export it again";
    private const string Supported = "private_key_jwt signs with RSA (RS256) or EC P-256, P-384 or P-521 (ES256, ES384, ES512) keys";

    private readonly AsymmetricAlgorithm _key;
    private readonly HashAlgorithmName _hash;

    private AssertionSigningKey(AsymmetricAlgorithm key, string algorithm, HashAlgorithmName hash)
    {
        _key = key;
        _hash = hash;
        Algorithm = algorithm;
    }

    /// <summary>The JWS <c>alg</c> this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>The JWS signature of <paramref name="data"/>: PKCS#1 v1.5 for RSA, r‖s of fixed width for EC (RFC 7518 §3.4).</summary>
    public byte[] Sign(byte[] data) => _key switch
    {
        RSA rsa => rsa.SignData(data, _hash, RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.SignData(data, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => throw new InvalidOperationException("only RSA and EC keys are imported"),
    };

    public void Dispose() => _key.Dispose();

    /// <summary>The first private key in <paramref name="pem"/>, or null and why not, as a sentence to follow where the key came from.</summary>
    public static AssertionSigningKey? TryImport(Secret pem, out string? problem)
    {
        var text = pem.Reveal();

        // OpenSSL's traditional encryption puts RFC 1421 headers inside the block, which PemEncoding does not read at all.
        if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            problem = Encrypted;
            return null;
        }

        var sawPublicPart = false;
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            var base64 = rest[fields.Base64Data];
            var decodedLength = fields.DecodedDataLength;
            rest = rest[fields.Location.End..];
            switch (label)
            {
                case "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY":
                    return Import(label.ToString(), base64, decodedLength, out problem);
                case "ENCRYPTED PRIVATE KEY":
                    problem = Encrypted;
                    return null;
                case "OPENSSH PRIVATE KEY":
                    problem = "holds an OpenSSH private key; convert a copy to PKCS#8 (ssh-keygen -p -m PKCS8 -f COPY) and use that";
                    return null;
                case "PUBLIC KEY" or "RSA PUBLIC KEY" or "CERTIFICATE":
                    // A bundle may put the certificate before the key: keep looking.
                    sawPublicPart = true;
                    break;
            }
        }

        problem = sawPublicPart
            ? "holds only a public key or certificate; give the private key the client signs with (-----BEGIN PRIVATE KEY-----)"
            : "holds no PEM private key; expected -----BEGIN PRIVATE KEY----- (PKCS#8), -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----";
        return null;
    }

    private static AssertionSigningKey? Import(string label, ReadOnlySpan<char> base64, int decodedLength, out string? problem)
    {
        var der = new byte[decodedLength];
        try
        {
            if (!Convert.TryFromBase64Chars(base64, der, out var written) || written != decodedLength)
            {
                problem = Damaged;
                return null;
            }

            return label switch
            {
                "RSA PRIVATE KEY" => FromRsa(der, pkcs8: false, out problem),
                "EC PRIVATE KEY" => FromEc(der, pkcs8: false, out problem),
                _ => Pkcs8Algorithm(der) switch
                {
                    RsaEncryptionOid => FromRsa(der, pkcs8: true, out problem),
                    EcPublicKeyOid => FromEc(der, pkcs8: true, out problem),
                    var oid => Unsupported(oid, out problem),
                },
            };
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            problem = Damaged;
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>The algorithm of a PKCS#8 PrivateKeyInfo (RFC 5208 §5), read before choosing what to import it as.</summary>
    private static string Pkcs8Algorithm(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
        _ = info.ReadInteger();
        return info.ReadSequence().ReadObjectIdentifier();
    }

    private static AssertionSigningKey? FromRsa(byte[] der, bool pkcs8, out string? problem)
    {
        var rsa = RSA.Create();
        try
        {
            if (pkcs8)
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                rsa.ImportRSAPrivateKey(der, out _);
            }

            // RFC 7518 §3.3; servers refuse smaller keys, and a clear message here beats their invalid_client.
            if (rsa.KeySize < 2048)
            {
                problem = $"holds a {rsa.KeySize}-bit RSA key; RS256 needs at least 2048 bits (RFC 7518 §3.3): make a new key";
                rsa.Dispose();
                return null;
            }

            problem = null;
            return new AssertionSigningKey(rsa, "RS256", HashAlgorithmName.SHA256);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static AssertionSigningKey? FromEc(byte[] der, bool pkcs8, out string? problem)
    {
        var ec = ECDsa.Create();
        try
        {
            if (pkcs8)
            {
                ec.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                ec.ImportECPrivateKey(der, out _);
            }

            var curve = ec.ExportParameters(includePrivateParameters: false).Curve;
            (string Algorithm, HashAlgorithmName Hash)? signing = curve.IsNamed ? CurveAlgorithm(curve.Oid) : null;
            if (signing is not { } chosen)
            {
                problem = $"holds an EC key on the curve {(curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value : "given by explicit parameters")}; {Supported}";
                ec.Dispose();
                return null;
            }

            problem = null;
            return new AssertionSigningKey(ec, chosen.Algorithm, chosen.Hash);
        }
        catch
        {
            ec.Dispose();
            throw;
        }
    }

    /// <summary>RFC 7518 §3.4 pairs each curve with one algorithm; platforms name curves by OID or by one of several friendly names.</summary>
    private static (string Algorithm, HashAlgorithmName Hash)? CurveAlgorithm(System.Security.Cryptography.Oid oid) => (oid.Value, oid.FriendlyName) switch
    {
        ("1.2.840.10045.3.1.7", _) or (null, "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1") => ("ES256", HashAlgorithmName.SHA256),
        ("1.3.132.0.34", _) or (null, "nistP384" or "ECDSA_P384" or "secp384r1") => ("ES384", HashAlgorithmName.SHA384),
        ("1.3.132.0.35", _) or (null, "nistP521" or "ECDSA_P521" or "secp521r1") => ("ES512", HashAlgorithmName.SHA512),
        _ => null,
    };

    private static AssertionSigningKey? Unsupported(string oid, out string? problem)
    {
        var name = oid switch
        {
            "1.3.101.112" => "an Ed25519",
            "1.3.101.113" => "an Ed448",
            "1.3.101.110" => "an X25519",
            "1.3.101.111" => "an X448",
            "1.2.840.10040.4.1" => "a DSA",
            "1.2.840.113549.1.1.10" => "an RSASSA-PSS",
            _ => $"an unsupported (OID {oid})",
        };
        problem = $"holds {name} key; {Supported}";
        return null;
    }
}
