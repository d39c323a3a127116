using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.Fakes;

/// <summary>Keys made fresh for each test run (none lives in the repository), as the PEM a user would hand in.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> LazyRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<ECDsa> LazyP256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> LazyP384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> LazyP521 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP521));

    public static RSA Rsa => LazyRsa.Value;

    public static ECDsa P256 => LazyP256.Value;

    public static ECDsa P384 => LazyP384.Value;

    public static ECDsa P521 => LazyP521.Value;

    public static ECDsa Ec(string curve) => curve switch
    {
        "P-256" => P256,
        "P-384" => P384,
        "P-521" => P521,
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, "not a test curve"),
    };

    /// <summary>PKCS#8 (<c>PRIVATE KEY</c>), the format <c>openssl genpkey</c> writes.</summary>
    public static Secret Pem(AsymmetricAlgorithm key) => new(key.ExportPkcs8PrivateKeyPem());

    /// <summary>An Ed25519 PKCS#8 key (RFC 8410 §7), which .NET cannot make itself: fixed prefix, random seed.</summary>
    public static Secret Ed25519Pem()
    {
        byte[] prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        return new Secret(PemEncoding.WriteString("PRIVATE KEY", [.. prefix, .. RandomNumberGenerator.GetBytes(32)]));
    }

    /// <summary>A self-signed certificate for <see cref="Rsa"/>, as PEM: what a key bundle often holds first.</summary>
    public static string RsaCertificatePem()
    {
        var request = new CertificateRequest("CN=studio-token-test", Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return certificate.ExportCertificatePem();
    }
}
