using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra;

/// <summary>Loads the app's certificate with its private key: PEM (certificate and key in one text) or PKCS#12 (PFX).</summary>
public static class EntraCertificate
{
    /// <summary>A certificate file is a few kilobytes; a bigger one is the wrong file, and is not read whole into memory.</summary>
    public const long MaxFileBytes = 256 * 1024;

    /// <summary>Reads <paramref name="path"/>; <paramref name="setting"/> names it in errors, which never quote the file.</summary>
    /// <param name="password">The PFX password, if it has one; PEM keys must not be encrypted.</param>
    public static X509Certificate2 Load(string path, string setting, Secret? password = null)
    {
        byte[] bytes;
        try
        {
            bytes = new FileInfo(path).Length > MaxFileBytes
                ? throw new TokenConfigurationException(setting, $"{path} is over {MaxFileBytes / 1024} KiB, too big for a certificate; check the path")
                : File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenConfigurationException(setting, $"cannot read {path}: {ex.Message}");
        }

        try
        {
            return Parse(bytes, password) ?? throw new TokenConfigurationException(setting, $"{path} holds no certificate with its private key; give a PEM file with both the CERTIFICATE and the (unencrypted) PRIVATE KEY, or a PFX");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The certificate with a usable private key, or null when the bytes hold none.</summary>
    internal static X509Certificate2? Parse(byte[] bytes, Secret? password)
    {
        var certificate = LooksLikePem(bytes) ? FromPem(bytes) : FromPkcs12(bytes, password);
        if (certificate is null)
        {
            return null;
        }

        if (!certificate.HasPrivateKey || (certificate.GetRSAPrivateKey() is null && certificate.GetECDsaPrivateKey() is null))
        {
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    private static bool LooksLikePem(byte[] bytes) =>
        bytes.AsSpan().IndexOf("-----BEGIN "u8) >= 0;

    private static X509Certificate2? FromPem(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        try
        {
            // One text for both: CreateFromPem takes the first CERTIFICATE and the key block that matches it.
            return X509Certificate2.CreateFromPem(text, text);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static X509Certificate2? FromPkcs12(byte[] bytes, Secret? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12(bytes, password?.Reveal(), X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
