using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StudioToken.Entra.Tests;

/// <summary>Throwaway client certificates, as one would upload to an app registration.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateRsa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=studio-token-entra-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The PEM text of a certificate file with its unencrypted key, key first to show order does not matter.</summary>
    public static string Pem(X509Certificate2 certificate) =>
        certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n" + certificate.ExportCertificatePem() + "\n";
}
