using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra.Tests;

public sealed class EntraCertificateTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("entra-cert-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void A_pem_file_with_the_certificate_and_its_key_loads_in_either_order()
    {
        using var original = TestCertificates.CreateRsa();
        var path = Write("both.pem", TestCertificates.Pem(original));

        using var loaded = EntraCertificate.Load(path, "certificate-file");

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Thumbprint, Is.EqualTo(original.Thumbprint));
            Assert.That(loaded.HasPrivateKey, Is.True);
        });
    }

    [Test]
    public void A_pfx_loads_with_its_password()
    {
        using var original = TestCertificates.CreateRsa();
        var path = Path.Combine(_directory, "app.pfx");
        File.WriteAllBytes(path, original.Export(X509ContentType.Pkcs12, "pfx-pass"));

        using var loaded = EntraCertificate.Load(path, "certificate-file", new Secret("pfx-pass"));

        Assert.That(loaded.Thumbprint, Is.EqualTo(original.Thumbprint));
    }

    [Test]
    public void A_certificate_without_its_key_is_refused_with_one_line_that_quotes_nothing_of_the_file()
    {
        using var original = TestCertificates.CreateRsa();
        var pem = original.ExportCertificatePem();
        var path = Write("cert-only.pem", pem);

        var problem = Assert.Throws<TokenConfigurationException>(() => EntraCertificate.Load(path, "certificate-file"))!;

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Is.EqualTo($"certificate-file: {path} holds no certificate with its private key; give a PEM file with both the CERTIFICATE and the (unencrypted) PRIVATE KEY, or a PFX"));
            Assert.That(problem.Message, Does.Not.Contain(pem.Split('\n')[1]));
        });
    }

    [Test]
    public void A_key_without_its_certificate_is_refused()
    {
        using var key = RSA.Create(2048);
        var path = Write("key-only.pem", key.ExportPkcs8PrivateKeyPem());

        Assert.Throws<TokenConfigurationException>(() => EntraCertificate.Load(path, "certificate-file"));
    }

    [Test]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_directory, "nope.pem");

        var problem = Assert.Throws<TokenConfigurationException>(() => EntraCertificate.Load(path, "certificate-file"))!;

        Assert.That(problem.Message, Does.StartWith($"certificate-file: cannot read {path}"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
