using Newtonsoft.Json.Linq;
using StudioToken.Testing;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// The GitHub Action's refresher command (<c>github-refresher</c>, what the sibling container runs) building its
/// requests from the secrets the action hands over as files: each is read once and deleted, and the server accepts
/// what the refresher sends with it. Real servers, real seconds (the action's image runs the same in the end-to-end tests).
/// </summary>
[Category("EndToEnd")]
[CancelAfter(60_000)]
public sealed class GitHubRefresherHandoverTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "handed-over"));
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task The_refresher_signs_every_refresh_with_the_handed_over_key_and_deletes_the_key_file(CancellationToken cancellationToken)
    {
        var client = KeyClients.Es256;
        var environment = OpenIddictServer.EnvironmentFor(client);
        environment.Remove("STUDIO_PRIVATE_KEY");
        environment["STUDIO_CLIENT_AUTH"] = "private_key_jwt";
        environment["STUDIO_PRIVATE_KEY_FILE"] = HandOver("private-key", client.PrivateKeyPem);

        var run = await RunRefresherAsync(environment, "7s", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("stopped (max-lifetime reached)").And.Contain("0 failures"));
            Assert.That(Generation(), Is.GreaterThanOrEqualTo(3), $"the first token and at least two refreshes in 7 s of 4-second tokens; {run}");
            Assert.That(Directory.GetFiles(Path.Combine(_root, "handed-over")), Is.Empty, "the key file is deleted once read");
        });
        SecretScan.AssertAbsent(run.AllText, client.PrivateKeyPem, "the private key");
    }

    [Test]
    public async Task The_refresher_asks_GitHub_for_ID_tokens_with_the_handed_over_request_and_deletes_both_files(CancellationToken cancellationToken)
    {
        var environment = FederatedEnvironments.GitHub(FederationServers.GitHubClient);
        environment["STUDIO_ID_TOKEN_REQUEST_URL_FILE"] = HandOver("id-token-request-url", environment["ACTIONS_ID_TOKEN_REQUEST_URL"]);
        environment["STUDIO_ID_TOKEN_REQUEST_TOKEN_FILE"] = HandOver("id-token-request-token", environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]);
        environment.Remove("ACTIONS_ID_TOKEN_REQUEST_URL");
        environment.Remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        var before = FederationServers.Issuer.IssuedCount;

        var run = await RunRefresherAsync(environment, "2s", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(Generation(), Is.EqualTo(1), "an empty directory gets its first token (the server's last an hour)");
            Assert.That(FederationServers.Issuer.IssuedCount - before, Is.EqualTo(1), "one ID token for it");
            Assert.That(Directory.GetFiles(Path.Combine(_root, "handed-over")), Is.Empty, "both files are deleted once read");
        });
        FederationServers.AssertNoSecretIn(run.AllText);
    }

    private string HandOver(string name, string value)
    {
        var path = Path.Combine(_root, "handed-over", name);
        File.WriteAllText(path, value);
        return path;
    }

    private Task<CliRun> RunRefresherAsync(Dictionary<string, string> environment, string maxLifetime, CancellationToken cancellationToken)
    {
        environment["STUDIO_TOKEN_DIR"] = Path.Combine(_root, "tokens");
        environment["STUDIO_MAX_LIFETIME"] = maxLifetime;
        return CliHarness.RunAsync(["github-refresher"], environment, cancellationToken: cancellationToken);
    }

    private long Generation() =>
        (long)JObject.Parse(File.ReadAllText(Path.Combine(_root, "tokens", "token.json")))["generation"]!;
}
