using System.Buffers.Text;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;

namespace StudioToken.Integration.Tests;

/// <summary>
/// The CLI authenticating to OpenIddict with private_key_jwt: every algorithm, a key from a file or the environment,
/// the refresher and exec. OpenIddict wants the assertion's <c>aud</c> to be its issuer and its <c>typ</c>
/// client-authentication+jwt, which is why <c>--assertion-audience</c> and <c>--assertion-type</c> exist.
/// </summary>
public sealed class PrivateKeyJwtTests
{
    private const string IssuerType = "client-authentication+jwt";

    private static JObject Claims(string jwt) =>
        JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[1])));

    private static string NewTempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N") + ".pem");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [TestCase("rs256-client")]
    [TestCase("es256-client")]
    [TestCase("es384-client")]
    [TestCase("es512-client")]
    public async Task Fetch_signs_with_the_key_from_STUDIO_PRIVATE_KEY_and_gets_a_token_for_the_client(string clientId)
    {
        var client = KeyClients.Named(clientId);

        var run = await CliHarness.RunAsync(["fetch"], OpenIddictServer.EnvironmentFor(client));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That((string?)Claims(run.Output)["sub"], Is.EqualTo(clientId));
        SecretScan.AssertAbsent(run.AllText, client.PrivateKeyPem, "the private key");
    }

    [Test]
    public async Task Fetch_with_client_auth_private_key_jwt_a_key_file_and_the_assertion_flags_gets_a_token()
    {
        var client = KeyClients.Es256;
        var keyFile = NewTempFile(client.PrivateKeyPem);
        try
        {
            var environment = OpenIddictServer.EnvironmentFor(client);
            environment.Remove("STUDIO_PRIVATE_KEY");
            environment.Remove("STUDIO_ASSERTION_AUDIENCE");
            environment.Remove("STUDIO_ASSERTION_TYPE");

            var run = await CliHarness.RunAsync(
                ["fetch", "--client-auth", "private_key_jwt", "--private-key-file", keyFile, "--assertion-audience", OpenIddictServer.Instance.Issuer.AbsoluteUri, "--assertion-type", IssuerType, "--output", "json"],
                environment);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That((string?)JObject.Parse(run.Output)["token_type"], Is.EqualTo("Bearer"));
            SecretScan.AssertAbsent(run.AllText, client.PrivateKeyPem, "the private key");
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    /// <summary>What a user of OpenIddict sees before setting the two flags: a rejection that says what to check.</summary>
    [TestCase(false, false, "401 invalid_client", TestName = "With_the_default_audience_and_type_OpenIddict_refuses_the_assertion_as_invalid_client")]
    [TestCase(false, true, "400 invalid_token", TestName = "With_only_the_type_set_OpenIddict_refuses_the_token_URL_as_audience")]
    [TestCase(true, false, "401 invalid_client", TestName = "With_only_the_audience_set_OpenIddict_refuses_the_JWT_type")]
    public async Task OpenIddict_needs_both_assertion_settings(bool setAudience, bool setType, string refusal)
    {
        var client = KeyClients.Es256;
        var environment = OpenIddictServer.EnvironmentFor(client);
        if (!setAudience)
        {
            environment.Remove("STUDIO_ASSERTION_AUDIENCE");
        }

        if (!setType)
        {
            environment.Remove("STUDIO_ASSERTION_TYPE");
        }

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(refusal).And.Contain("assertion audience").And.Contain(IssuerType));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        SecretScan.AssertAbsent(run.AllText, client.PrivateKeyPem, "the private key");
    }

    [Test]
    public async Task Exec_hands_the_command_the_token_but_never_the_private_key()
    {
        var run = await CliHarness.RunAsync(
            ["exec", "--", "sh", "-c", "test -s \"$STUDIO_TOKEN_FILE\" && test -n \"$STUDIO_TOKEN\" && test -z \"${STUDIO_PRIVATE_KEY:-}\""],
            OpenIddictServer.EnvironmentFor(KeyClients.Es384));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    /// <summary>With 4-second tokens the refresher signs a new assertion every ~2 s; the server accepts each.</summary>
    [Test]
    [Category("EndToEnd")]
    [CancelAfter(60_000)]
    public async Task Refresh_keeps_the_directory_fresh_authenticating_with_the_key_each_time(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N"));
        try
        {
            var run = await CliHarness.RunAsync(["refresh", "--token-dir", directory, "--max-lifetime", "7s"], OpenIddictServer.EnvironmentFor(KeyClients.Rs256), cancellationToken: cancellationToken);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("stopped (max-lifetime reached)").And.Contain("0 failures"));
            var generation = (long)JObject.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "token.json"), cancellationToken))["generation"]!;
            Assert.That(generation, Is.GreaterThanOrEqualTo(3), $"the first token and at least two refreshes in 7 s of 4-second tokens; {run}");
            SecretScan.AssertAbsent(run.AllText, KeyClients.Rs256.PrivateKeyPem, "the private key");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
