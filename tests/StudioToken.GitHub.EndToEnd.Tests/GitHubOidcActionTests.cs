using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// github_oidc with the ID token as the client assertion: the action's image on a real Docker engine. ID tokens live
/// minutes, so the refresher container must ask for a new one at every refresh.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class GitHubOidcActionTests : GitHubOidcFixture
{
    private TestClient _client = null!;

    protected override IEnumerable<TestClient> Clients(IdTokenIssuer issuer)
    {
        _client = TestClient.Federated("e2e-github-client", issuer.GitHubCredential(Audience));
        return [_client];
    }

    [Test]
    public async Task The_refresher_container_asks_for_a_new_ID_token_at_every_refresh_and_post_revokes_with_one_more(CancellationToken cancellationToken)
    {
        var step = Steps.Runner.NewStep();
        var before = Issuer.IssuedCount;

        var main = await Steps.RunAsync("action-main", step, Inputs(), jobEnvironment: JobWithIdTokenPermission());
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        // Not exactly one: with seconds-long tokens the refresher may have refreshed before the step has ended.
        Assert.That(Issuer.IssuedCount - before, Is.GreaterThanOrEqualTo(1), "main asked for an ID token for its token");

        var env = FileCommandFile.Parse(Steps.Runner.HostFile(step.Env));
        var tokenDir = Path.GetDirectoryName(env["STUDIO_TOKEN_FILE"])!;
        var generation = await ActionSteps.WaitForGenerationAsync(tokenDir, 3, cancellationToken);
        var issued = Issuer.IssuedTokens.Skip(before).ToList();

        Assert.Multiple(() =>
        {
            // A refresh may have its ID token already and its access token not yet written: at least one each.
            Assert.That(issued, Has.Count.GreaterThanOrEqualTo(generation), "one new ID token for every token, the refresher's included");
            // A count, not the list: a failure message must not print an ID token.
            Assert.That(issued.Distinct().Count(), Is.EqualTo(issued.Count), "never an ID token twice");
        });

        var refresher = (await Steps.RefreshersAsync()).Single();
        var inspect = await Steps.DockerAsync("inspect", refresher);
        await Steps.DockerAsync("logs", refresher);
        var left = await Steps.HandedOverFilesLeftAsync(refresher);
        Assert.Multiple(() =>
        {
            Assert.That(inspect.Output, Does.Not.Contain("ACTIONS_ID_TOKEN_REQUEST").And.Not.Contain(Issuer.GitHubRequestUrl.AbsoluteUri));
            Assert.That(inspect.Output, Does.Contain("STUDIO_CLIENT_AUTH=github_oidc").And.Contain("STUDIO_OIDC_AUDIENCE=" + Audience));
            Assert.That(left, Is.Empty, "the refresher deleted the request token once read");
        });

        var state = FileCommandFile.Parse(Steps.Runner.HostFile(step.State));
        var beforePost = Issuer.IssuedCount;
        var post = await Steps.RunAsync("action-post", Steps.Runner.NewStep(), Inputs(), new Dictionary<string, string> { ["studio_token"] = state["studio_token"] }, JobWithIdTokenPermission());

        Assert.Multiple(() =>
        {
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(post.Output, Does.Contain("revocation: revoked"), post.ToString());
            Assert.That(Issuer.IssuedCount - beforePost, Is.GreaterThanOrEqualTo(1), "the revocation presented a new ID token");
            Assert.That(Directory.Exists(tokenDir), Is.False);
        });
        Assert.That(await Steps.RefreshersAsync(), Is.Empty);
    }

    [Test]
    public async Task A_job_without_the_id_token_permission_fails_main_with_one_line_naming_it_and_writes_nothing()
    {
        var step = Steps.Runner.NewStep();
        var (issued, requests) = (Issuer.IssuedCount, Server.TokenRequestCount);

        // The runner sets neither variable for a job without `permissions: id-token: write`.
        var main = await Steps.RunAsync("action-main", step, Inputs());

        var errors = main.Output.Split('\n').Where(line => line.StartsWith("::error", StringComparison.Ordinal)).ToList();
        var refreshers = await Steps.RefreshersAsync();
        Assert.Multiple(() =>
        {
            Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
            Assert.That(errors, Has.Count.EqualTo(1), main.ToString());
            Assert.That(errors.Single(), Does.StartWith("::error title=studio-token%3A input client-auth::").And.Contain("permissions: id-token: write"));
            foreach (var file in new[] { step.Env, step.Output, step.State, step.Path })
            {
                Assert.That(File.ReadAllText(Steps.Runner.HostFile(file)), Is.Empty, $"{file} must stay empty");
            }

            Assert.That(Directory.Exists(Path.Combine(Steps.Runner.Temp, "studio-token")), Is.False, "no token directory");
            Assert.That(Issuer.IssuedCount, Is.EqualTo(issued));
            Assert.That(Server.TokenRequestCount, Is.EqualTo(requests), "nothing is sent");
            Assert.That(refreshers, Is.Empty);
        });
    }

    private Dictionary<string, string> Inputs() => Inputs(_client);
}
