using System.Security.Cryptography;
using StudioToken.TestServer;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// <c>client-auth: private_key_jwt</c>: the action's image on a real Docker engine against the real OpenIddict server,
/// which knows only the public half of the client's key and issues tokens living seconds. The refresher signs its
/// own assertions with the key it got as a file; the post step revokes with one more.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class PrivateKeyJwtActionTests : OpenIddictActionFixture
{
    private const string ClientId = "e2e-key-client";
    private const string GitHubToken = "ghs_e2e-key-not-a-real-token";

    // Made for this run; the server is given only the public half.
    private static readonly (string KeyPem, string PublicKeyPem) KeyPair = NewKeyPair();
    private static readonly string KeyPem = KeyPair.KeyPem;

    protected override OpenIddictTestServerOptions ServerOptions => new()
    {
        AccessTokenLifetime = TimeSpan.FromSeconds(6),
        Clients = [TestClient.WithPublicKeys(ClientId, KeyPair.PublicKeyPem)],
    };

    protected override void AssertNoSecretLeaked(ActionSteps steps)
    {
        steps.AssertNowhere(KeyPem.Trim(), "the private key");
        foreach (var line in KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            steps.AssertNowhere(line, "a line of the private key");
        }

        steps.AssertNowhere(GitHubToken, "the GitHub token");
    }

    [Test]
    public async Task A_key_and_no_secret_gets_a_token_the_refresher_keeps_fresh_and_post_revokes_with_the_key(CancellationToken cancellationToken)
    {
        var server = Server;
        var step = Steps.Runner.NewStep();
        var main = await Steps.RunAsync("action-main", step, Inputs(server));
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        Assert.That(main.Output.Split('\n')[0], Does.StartWith("::add-mask::-----BEGIN PRIVATE KEY-----"), "the key is masked first");

        var env = FileCommandFile.Parse(Steps.Runner.HostFile(step.Env));
        var tokenDir = Path.GetDirectoryName(env["STUDIO_TOKEN_FILE"])!;
        var first = env["STUDIO_TOKEN"];
        await ActionSteps.WaitForGenerationAsync(tokenDir, 3, cancellationToken);
        Assert.That(await File.ReadAllTextAsync(env["STUDIO_TOKEN_FILE"], cancellationToken), Is.Not.EqualTo(first), "the refresher signed its own assertions");

        var refresher = (await Steps.RefreshersAsync()).Single();
        await Steps.DockerAsync("inspect", refresher);
        await Steps.DockerAsync("logs", refresher);
        Assert.That(await Steps.HandedOverFilesLeftAsync(refresher), Is.Empty, "the refresher deleted the key once read");

        var state = FileCommandFile.Parse(Steps.Runner.HostFile(step.State));
        var postStep = Steps.Runner.NewStep();
        var post = await Steps.RunAsync("action-post", postStep, Inputs(server), new Dictionary<string, string> { ["studio_token"] = state["studio_token"] });

        Assert.Multiple(() =>
        {
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(post.Output, Does.Contain("revocation: revoked"), post.ToString());
            Assert.That(File.ReadAllText(Steps.Runner.HostFile(postStep.Summary)), Does.Contain("| failed refreshes | 0 |"));
            Assert.That(Directory.Exists(tokenDir), Is.False);
        });
        Assert.That(await Steps.RefreshersAsync(), Is.Empty);
    }

    [Test]
    public async Task A_key_given_together_with_a_client_secret_fails_the_step_saying_which_to_remove()
    {
        var inputs = Inputs(Server);
        inputs["client-secret"] = "e2e-unused-secret-Zq";
        var requests = Server.TokenRequestCount;
        var step = Steps.Runner.NewStep();

        var main = await Steps.RunAsync("action-main", step, inputs);

        Assert.Multiple(() =>
        {
            Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
            Assert.That(main.Output, Does.Contain("::error title=studio-token%3A input client-secret::").And.Contain("remove client-secret"));
            Assert.That(File.ReadAllText(Steps.Runner.HostFile(step.Env)), Is.Empty);
            Assert.That(Server.TokenRequestCount, Is.EqualTo(requests), "nothing is sent");
        });
        Steps.AssertNowhere("e2e-unused-secret-Zq", "the client secret");
    }

    private static Dictionary<string, string> Inputs(OpenIddictTestServer server) => new()
    {
        ["token-url"] = server.TokenUrl.AbsoluteUri,
        ["client-id"] = ClientId,
        ["client-auth"] = "private_key_jwt",
        ["private-key"] = KeyPem,
        // OpenIddict 7 wants its issuer as aud and its own typ.
        ["assertion-audience"] = server.Issuer.AbsoluteUri,
        ["assertion-type"] = "client-authentication+jwt",
        ["scope"] = TestScopes.Script,
        ["revocation-url"] = server.RevocationUrl.AbsoluteUri,
        ["github-token"] = GitHubToken,
    };

    private static (string KeyPem, string PublicKeyPem) NewKeyPair()
    {
        using var key = RSA.Create(2048);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }
}
