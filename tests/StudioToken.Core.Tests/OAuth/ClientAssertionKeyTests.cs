using System.Security.Cryptography;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.OAuth;

/// <summary>Every way a PEM can be unusable is one sentence naming the fix, and none quotes the key.</summary>
[TestFixture]
public sealed class ClientAssertionKeyTests
{
    private static string? ProblemWith(string pem) => new ClientAssertionKey(new Secret(pem)).KeyProblem();

    private static TokenRequest KeyRequest(ClientAssertionKey? key) => new()
    {
        TokenUrl = new Uri("https://id.example.com/token"),
        ClientId = "ci",
        AuthMethod = ClientAuthMethod.PrivateKeyJwt,
        ClientAssertionKey = key,
    };

    [Test]
    public void PKCS8_RSA_and_EC_keys_of_the_supported_kinds_have_no_problem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProblemWith(TestKeys.Rsa.ExportPkcs8PrivateKeyPem()), Is.Null);
            Assert.That(ProblemWith(TestKeys.Rsa.ExportRSAPrivateKeyPem()), Is.Null);
            Assert.That(ProblemWith(TestKeys.P256.ExportPkcs8PrivateKeyPem()), Is.Null);
            Assert.That(ProblemWith(TestKeys.P384.ExportECPrivateKeyPem()), Is.Null);
            Assert.That(ProblemWith(TestKeys.P521.ExportPkcs8PrivateKeyPem()), Is.Null);
        });
    }

    [TestCase("\n")]
    [TestCase("just some text")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----")]
    public void Text_that_is_no_PEM_private_key_says_what_is_expected(string text)
    {
        Assert.That(ProblemWith(text), Does.StartWith("holds no PEM private key; expected -----BEGIN PRIVATE KEY-----"));
    }

    [Test]
    public void A_PKCS8_encrypted_key_is_refused_saying_how_to_decrypt_it()
    {
        var encrypted = TestKeys.P256.ExportEncryptedPkcs8PrivateKeyPem("passphrase", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        Assert.That(ProblemWith(encrypted), Does.StartWith("holds an encrypted private key").And.Contain("openssl pkey"));
    }

    [Test]
    public void A_traditional_OpenSSL_encrypted_key_is_refused_the_same_way()
    {
        const string legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";

        Assert.That(ProblemWith(legacy), Does.StartWith("holds an encrypted private key"));
    }

    [Test]
    public void A_public_key_or_certificate_alone_asks_for_the_private_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProblemWith(TestKeys.Rsa.ExportSubjectPublicKeyInfoPem()), Does.StartWith("holds only a public key or certificate"));
            Assert.That(ProblemWith(TestKeys.RsaCertificatePem()), Does.StartWith("holds only a public key or certificate"));
        });
    }

    [Test]
    public void An_OpenSSH_key_says_how_to_convert_it()
    {
        var openSsh = PemEncoding.WriteString("OPENSSH PRIVATE KEY", RandomNumberGenerator.GetBytes(64));

        Assert.That(ProblemWith(openSsh), Does.StartWith("holds an OpenSSH private key").And.Contain("ssh-keygen -p -m PKCS8"));
    }

    [Test]
    public void An_Ed25519_key_names_its_type_and_the_supported_ones()
    {
        Assert.That(new ClientAssertionKey(TestKeys.Ed25519Pem()).KeyProblem(), Is.EqualTo(
            "holds an Ed25519 key; private_key_jwt signs with RSA (RS256) or EC P-256, P-384 or P-521 (ES256, ES384, ES512) keys"));
    }

    [Test]
    public void An_EC_key_on_another_curve_names_the_curve()
    {
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);

        Assert.That(ProblemWith(brainpool.ExportPkcs8PrivateKeyPem()), Does.StartWith("holds an EC key on the curve brainpoolP256r1;").And.Contain("P-256, P-384 or P-521"));
    }

    [Test]
    public void An_RSA_key_under_2048_bits_is_refused()
    {
        using var small = RSA.Create(1024);

        Assert.That(ProblemWith(small.ExportPkcs8PrivateKeyPem()), Does.StartWith("holds a 1024-bit RSA key; RS256 needs at least 2048 bits"));
    }

    [Test]
    public void A_damaged_key_says_so()
    {
        var der = TestKeys.P256.ExportPkcs8PrivateKey();
        var truncated = PemEncoding.WriteString("PRIVATE KEY", der.AsSpan(0, der.Length - 20));

        Assert.That(ProblemWith(truncated), Does.StartWith("holds a PEM private key that cannot be read"));
    }

    [Test]
    public void No_problem_ever_quotes_the_key()
    {
        var pems = new[]
        {
            TestKeys.Rsa.ExportSubjectPublicKeyInfoPem(),
            "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAsecretish\n-----END PRIVATE KEY-----",
            TestKeys.Ed25519Pem().Reveal(),
            PemEncoding.WriteString("PRIVATE KEY", TestKeys.P256.ExportPkcs8PrivateKey().AsSpan(0, 40)),
        };

        foreach (var pem in pems)
        {
            var problem = ProblemWith(pem) ?? string.Empty;
            var body = pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)).ToList();
            Assert.That(body.Where(line => line.Length > 8 && problem.Contains(line, StringComparison.Ordinal)), Is.Empty, problem);
        }
    }

    [Test]
    public void The_request_names_a_missing_key_and_a_missing_secret_by_the_setting_to_fix()
    {
        var withoutKey = Assert.Throws<TokenConfigurationException>(() => KeyRequest(null).Validate())!;
        var withoutSecret = Assert.Throws<TokenConfigurationException>(() => (KeyRequest(null) with { AuthMethod = ClientAuthMethod.ClientSecretPost }).Validate())!;

        Assert.Multiple(() =>
        {
            Assert.That(withoutKey.Message, Is.EqualTo("private-key: is required for private_key_jwt; give the client's private key (PEM)"));
            Assert.That(withoutSecret.Message, Is.EqualTo("client-secret: is required for client_secret_post; give the client secret"));
        });
    }

    [Test]
    public void The_request_reports_a_bad_key_and_bad_assertion_settings_together()
    {
        var key = new ClientAssertionKey(new Secret("nonsense")) { KeyId = "", Audience = " ", Type = "JWT\n" };

        var problems = KeyRequest(key).Problems().Select(p => p.Setting);

        Assert.That(problems, Is.EqualTo(new[] { "private-key", "key-id", "assertion-audience", "assertion-type" }));
    }

    [Test]
    public void A_client_with_a_secret_needs_no_key_and_one_with_a_key_needs_no_secret()
    {
        var withKey = KeyRequest(new ClientAssertionKey(TestKeys.Pem(TestKeys.P256)));
        var withSecret = new TokenRequest { TokenUrl = new Uri("https://id.example.com/token"), ClientId = "ci", ClientSecret = new Secret("s") };

        Assert.Multiple(() =>
        {
            Assert.That(withKey.Problems(), Is.Empty);
            Assert.That(withSecret.Problems(), Is.Empty);
        });
    }

    [Test]
    public void Prints_without_the_key()
    {
        var pem = TestKeys.Pem(TestKeys.P256);

        Assert.That(new ClientAssertionKey(pem).ToString(), Does.Not.Contain(pem.Reveal()[40..80]).And.Contain("***"));
    }
}
