using Newtonsoft.Json.Linq;
using StudioToken.TestServer;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// <c>issuer</c> and no <c>token-url</c>: the action's image on a real Docker engine reads the real OpenIddict
/// server's metadata, gets its token at the endpoint named there, hands the refresher that endpoint (not the issuer),
/// and the post step revokes at the revocation endpoint the metadata named.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class IssuerActionTests : OpenIddictActionFixture
{
    private const string GitHubToken = "ghs_e2e-issuer-not-a-real-token";
    private static readonly TestClient Client = TestClient.DefaultBasic;

    protected override OpenIddictTestServerOptions ServerOptions => new() { AccessTokenLifetime = TimeSpan.FromSeconds(6) };

    protected override void AssertNoSecretLeaked(ActionSteps steps)
    {
        steps.AssertNowhere(Client.ClientSecret, "the client secret");
        steps.AssertNowhere(GitHubToken, "the GitHub token");
    }

    [Test]
    public async Task Only_the_issuer_finds_the_endpoints_for_main_the_refresher_and_post(CancellationToken cancellationToken)
    {
        var server = Server;
        var step = Steps.Runner.NewStep();
        var main = await Steps.RunAsync("action-main", step, Inputs(server));
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        Assert.That(main.Output, Does.Contain($"names the token endpoint {server.TokenUrl.AbsoluteUri} (client_secret_basic) and the revocation endpoint {server.RevocationUrl.AbsoluteUri}"));

        var env = FileCommandFile.Parse(Steps.Runner.HostFile(step.Env));
        var tokenDir = Path.GetDirectoryName(env["STUDIO_TOKEN_FILE"])!;
        var metadata = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(tokenDir, "token.json"), cancellationToken));
        Assert.That((string?)metadata["token_url"], Is.EqualTo(server.TokenUrl.AbsoluteUri), "token.json names the endpoint asked, not the issuer");

        await ActionSteps.WaitForGenerationAsync(tokenDir, 2, cancellationToken);
        var refresher = (await Steps.RefreshersAsync()).Single();
        var inspect = await Steps.DockerAsync("inspect", refresher);
        Assert.That(inspect.Output, Does.Contain($"STUDIO_TOKEN_URL={server.TokenUrl.AbsoluteUri}").And.Not.Contain("STUDIO_ISSUER"), "the refresher asks where main did, without discovering again");

        var state = FileCommandFile.Parse(Steps.Runner.HostFile(step.State));
        var postStep = Steps.Runner.NewStep();
        var post = await Steps.RunAsync("action-post", postStep, Inputs(server), new Dictionary<string, string> { ["studio_token"] = state["studio_token"] });

        Assert.Multiple(() =>
        {
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(post.Output, Does.Contain("revocation: revoked"), post.ToString());
            Assert.That(Directory.Exists(tokenDir), Is.False);
        });
    }

    [Test]
    public async Task An_issuer_without_metadata_fails_main_with_one_error_naming_where_it_looked_and_writes_nothing()
    {
        var server = Server;
        var inputs = Inputs(server);
        inputs["issuer"] = new Uri(server.BaseUrl, "no-such-tenant").AbsoluteUri;
        var requests = server.TokenRequestCount;
        var step = Steps.Runner.NewStep();

        var main = await Steps.RunAsync("action-main", step, inputs);

        Assert.Multiple(() =>
        {
            Assert.That(main.ExitCode, Is.EqualTo(3), main.ToString());
            Assert.That(main.Output.Split('\n').Count(line => line.StartsWith("::error", StringComparison.Ordinal)), Is.EqualTo(1), main.ToString());
            Assert.That(main.Output, Does.Contain("found no authorization server metadata").And.Contain("/no-such-tenant/.well-known/openid-configuration"));
            Assert.That(File.ReadAllText(Steps.Runner.HostFile(step.Env)), Is.Empty);
            Assert.That(File.ReadAllText(Steps.Runner.HostFile(step.State)), Is.Empty, "nothing for the post step to clean up");
            Assert.That(server.TokenRequestCount, Is.EqualTo(requests), "no token is asked for");
        });
    }

    private static Dictionary<string, string> Inputs(OpenIddictTestServer server) => new()
    {
        ["issuer"] = server.BaseUrl.AbsoluteUri,
        ["client-id"] = Client.ClientId,
        ["client-secret"] = Client.ClientSecret,
        // What the runner passes when the workflow leaves it out (action.yml's default).
        ["client-auth"] = "client_secret_basic",
        ["scope"] = TestScopes.Script,
        ["github-token"] = GitHubToken,
    };
}
