using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Cli.Tests.Commands;

/// <summary>
/// The private_key_jwt options: a key from a file or <c>STUDIO_PRIVATE_KEY</c>, one-line errors for keys that cannot
/// sign, and neither the key nor an assertion in anything printed. Tokens come from OpenIddict, which checks
/// assertions; the fixture's own endpoint (which knows no keys) shows what was sent.
/// </summary>
[CancelAfter(120_000)]
public sealed class PrivateKeyJwtCommandTests : EndpointFixture
{
    private const string KeyClientId = "cli-key-client";

    private ECDsa _key = null!;
    private string _keyPem = null!;
    private OpenIddictTestServer _server = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _keyPem = _key.ExportPkcs8PrivateKeyPem();
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions
        {
            Clients = [TestClient.WithPublicKeys(KeyClientId, _key.ExportSubjectPublicKeyInfoPem())],
        });

        // The first request warms the server (JIT, key material) so no test pays for it against its timeout.
        await CliHarness.RunAsync(["fetch", "--timeout", "2m"], ServerEnvironment());
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        _key?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateDirectory()
    {
        _directory = NewTempDirectory();
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>The key client at OpenIddict, its assertion addressed and typed as OpenIddict wants.</summary>
    private Dictionary<string, string> ServerEnvironment() => new()
    {
        ["STUDIO_TOKEN_URL"] = _server.TokenUrl.AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = KeyClientId,
        ["STUDIO_ASSERTION_AUDIENCE"] = _server.Issuer.AbsoluteUri,
        ["STUDIO_ASSERTION_TYPE"] = "client-authentication+jwt",
        ["STUDIO_PRIVATE_KEY"] = _keyPem,
    };

    private string KeyFile(string content, string name = "key.pem")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static JObject Claims(string jwt) =>
        JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[1])));

    [Test]
    public async Task Fetch_with_client_auth_private_key_jwt_and_a_key_file_gets_a_token()
    {
        var environment = ServerEnvironment();
        environment.Remove("STUDIO_PRIVATE_KEY");

        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "private_key_jwt", "--private-key-file", KeyFile(_keyPem)], environment);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That((string?)Claims(run.Output)["sub"], Is.EqualTo(KeyClientId));
        SecretScan.AssertAbsent(run.AllText, _keyPem, "the private key");
    }

    [Test]
    public async Task A_key_in_STUDIO_PRIVATE_KEY_with_literal_backslash_n_line_breaks_is_read_too()
    {
        var environment = ServerEnvironment();
        environment["STUDIO_PRIVATE_KEY"] = _keyPem.ReplaceLineEndings("\\n");

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    [Test]
    public async Task A_private_key_without_client_auth_selects_private_key_jwt_even_beside_a_secret()
    {
        var before = Endpoint.RequestCount;

        var run = await CliHarness.RunAsync(["fetch", "--private-key-file", KeyFile(_keyPem)], Environment());

        var sent = Endpoint.Requests[before];
        var assertion = sent.Form.Single(p => p.Key == "client_assertion").Value;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), "the fixture's endpoint knows no keys: " + run);
            Assert.That(sent.Form, Does.Contain(new KeyValuePair<string, string>("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")));
            Assert.That(sent.Form, Does.Contain(new KeyValuePair<string, string>("client_id", "cli-client")));
            Assert.That(sent.Form.Select(p => p.Key), Does.Not.Contain("client_secret"));
            Assert.That(sent.Headers.ContainsKey("Authorization"), Is.False);
            Assert.That((string?)Claims(assertion)["aud"], Is.EqualTo(Endpoint.TokenUrl.AbsoluteUri), "the token URL by default");
        });
        SecretScan.AssertAbsent(run.AllText, assertion, "the assertion");
        SecretScan.AssertAbsent(run.AllText, assertion[..assertion.LastIndexOf('.')], "the assertion's signed part");
        SecretScan.AssertAbsent(run.AllText, _keyPem, "the private key");
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task Client_auth_client_secret_post_uses_the_secret_and_leaves_a_given_key_alone()
    {
        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "client_secret_post", "--private-key-file", Path.Combine(_directory, "absent.pem")], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    [Test]
    public async Task Kid_and_assertion_settings_go_into_the_assertion()
    {
        var before = Endpoint.RequestCount;

        await CliHarness.RunAsync(
            ["fetch", "--client-auth", "private_key_jwt", "--key-id", "ci-2026", "--assertion-audience", "https://id.example.com/", "--assertion-type", "client-authentication+jwt"],
            Environment(("STUDIO_PRIVATE_KEY", _keyPem)));

        var parts = Endpoint.Requests[before].Form.Single(p => p.Key == "client_assertion").Value.Split('.');
        var header = JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        var claims = JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])));
        Assert.Multiple(() =>
        {
            Assert.That((string?)header["kid"], Is.EqualTo("ci-2026"));
            Assert.That((string?)header["typ"], Is.EqualTo("client-authentication+jwt"));
            Assert.That((string?)header["alg"], Is.EqualTo("ES256"));
            Assert.That((string?)claims["aud"], Is.EqualTo("https://id.example.com/"));
        });
    }

    [Test]
    public async Task Refresh_keeps_a_token_directory_fresh_with_the_key()
    {
        var tokenDir = Path.Combine(_directory, "tokens");

        var run = await CliHarness.RunAsync(["refresh", "--token-dir", tokenDir, "--max-lifetime", "1s"], ServerEnvironment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(File.Exists(Path.Combine(tokenDir, "token")), Is.True);
        SecretScan.AssertAbsent(run.AllText, _keyPem, "the private key");
    }

    [TestCase("not a key at all\n", "holds no PEM private key")]
    [TestCase("", "is empty")]
    [TestCase("encrypted", "holds an encrypted private key")]
    [TestCase("public", "holds only a public key or certificate")]
    [TestCase("brainpool", "holds an EC key on the curve brainpoolP256r1")]
    [TestCase("rsa-1024", "holds a 1024-bit RSA key")]
    public async Task A_key_file_that_cannot_sign_exits_1_with_one_line_naming_the_file_and_the_fix(string content, string problem)
    {
        var pem = content switch
        {
            "encrypted" => _key.ExportEncryptedPkcs8PrivateKeyPem("passphrase", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)),
            "public" => _key.ExportSubjectPublicKeyInfoPem(),
            "brainpool" => ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1).ExportPkcs8PrivateKeyPem(),
            "rsa-1024" => RSA.Create(1024).ExportPkcs8PrivateKeyPem(),
            _ => content,
        };
        var file = KeyFile(pem);
        var before = Endpoint.RequestCount;

        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "private_key_jwt", "--private-key-file", file], Environment());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.StartWith($"studio-token: error: --private-key-file: {file} {problem}"));
            Assert.That(Endpoint.RequestCount, Is.EqualTo(before), "nothing is sent for a bad key");
        });
        foreach (var line in pem.Split('\n').Where(line => line.Length > 16 && !line.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.That(run.AllText, Does.Not.Contain(line), "no line of the key is printed");
        }
    }

    [Test]
    public async Task A_key_file_that_cannot_be_read_exits_1_naming_it()
    {
        var missing = Path.Combine(_directory, "missing.pem");

        var run = await CliHarness.RunAsync(["fetch", "--private-key-file", missing], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error.Trim(), Does.StartWith($"studio-token: error: --private-key-file: cannot read {missing}"));
    }

    [Test]
    public async Task A_bad_key_in_STUDIO_PRIVATE_KEY_is_named_by_the_variable()
    {
        var run = await CliHarness.RunAsync(["fetch"], Environment(("STUDIO_PRIVATE_KEY", _key.ExportSubjectPublicKeyInfoPem())));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error.Trim(), Does.StartWith("studio-token: error: STUDIO_PRIVATE_KEY: holds only a public key"));
    }

    [Test]
    public async Task Private_key_jwt_without_a_key_exits_1_saying_where_to_put_one()
    {
        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "private_key_jwt"], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("STUDIO_PRIVATE_KEY").And.Contain("--private-key-file"));
    }

    [Test]
    public async Task A_key_on_the_command_line_exits_1_without_echoing_it()
    {
        var run = await CliHarness.RunAsync(["fetch", "--private-key", _keyPem], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("--private-key-file"));
        SecretScan.AssertAbsent(run.AllText, _keyPem, "the private key");
    }
}
