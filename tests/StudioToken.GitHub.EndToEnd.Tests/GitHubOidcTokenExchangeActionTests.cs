using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// <c>client-auth: github_oidc</c> with <c>grant: token-exchange</c>: the action's image on a real Docker engine, the
/// local issuer standing in for GitHub's ID-token service, and OpenIddict exchanging its ID tokens (RFC 8693) for a
/// public client that has no other grant. The server's ledger says which token came from which exchange, so every
/// token the test finds is checked against what the server issued, not against what the action says it did.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class GitHubOidcTokenExchangeActionTests : GitHubOidcFixture
{
    private const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    private TestClient _client = null!;

    protected override IEnumerable<TestClient> Clients(IdTokenIssuer issuer)
    {
        _client = TestClient.FederatedExchange("e2e-github-exchange-client", issuer.GitHubCredential(Audience));
        return [_client];
    }

    [Test]
    public async Task Every_token_is_exchanged_for_a_new_ID_token_and_post_revokes_the_last_one(CancellationToken cancellationToken)
    {
        var step = Steps.Runner.NewStep();
        var (idTokensBefore, exchangesBefore, revokedBefore) = (Issuer.IssuedCount, Server.TokenExchanges.Count, Server.RevokedTokens.Count);

        var main = await Steps.RunAsync("action-main", step, Inputs(), jobEnvironment: JobWithIdTokenPermission());
        Assert.That(main.ExitCode, Is.Zero, main.ToString());

        var env = FileCommandFile.Parse(Steps.Runner.HostFile(step.Env));
        var tokenFile = env["STUDIO_TOKEN_FILE"];
        var tokenDir = Path.GetDirectoryName(tokenFile)!;
        var first = env["STUDIO_TOKEN"];
        Assert.Multiple(() =>
        {
            Assert.That(ExchangeOf(first), Is.Not.Null, "main's token is one the server issued by token exchange");
            Assert.That(File.ReadAllText(Steps.Runner.HostFile(step.Summary)), Does.Contain("| client authentication | github_oidc (token exchange) |"));
        });

        var generation = await ActionSteps.WaitForGenerationAsync(tokenDir, 3, cancellationToken);
        var current = await File.ReadAllTextAsync(tokenFile, cancellationToken);
        var subjectTokens = Server.TokenExchanges.Skip(exchangesBefore).Select(e => e.SubjectToken).ToList();
        var idTokens = Issuer.IssuedTokens.Skip(idTokensBefore).ToHashSet();
        // Counts and indexes only: a failure message must not print a token.
        Assert.Multiple(() =>
        {
            Assert.That(current == first, Is.False, "the refresher replaced main's token");
            Assert.That(ExchangeOf(current), Is.Not.Null, "the refresher's token is one the server issued by token exchange");
            // A refresh may have been granted and not yet written: at least one exchange for every generation.
            Assert.That(subjectTokens, Has.Count.GreaterThanOrEqualTo(generation), "every token was exchanged");
            Assert.That(subjectTokens.Distinct().Count(), Is.EqualTo(subjectTokens.Count), "a new ID token for every exchange");
            Assert.That(subjectTokens.Count(idTokens.Contains), Is.EqualTo(subjectTokens.Count), "every subject token came from the job's ID-token service");
        });
        Assert.That(await Server.IsActiveAsync(current, TestClient.DefaultBasic, cancellationToken), Is.True, "the server takes the refresher's token");

        var refresher = (await Steps.RefreshersAsync()).Single();
        var inspect = await Steps.DockerAsync("inspect", refresher);
        await Steps.DockerAsync("logs", refresher);
        var left = await Steps.HandedOverFilesLeftAsync(refresher);
        Assert.Multiple(() =>
        {
            Assert.That(inspect.Output, Does.Contain("STUDIO_CLIENT_AUTH=github_oidc").And.Contain("STUDIO_GRANT=token-exchange").And.Contain("STUDIO_SUBJECT_TOKEN_TYPE=" + JwtTokenType));
            Assert.That(inspect.Output, Does.Not.Contain("ACTIONS_ID_TOKEN_REQUEST").And.Not.Contain(Issuer.GitHubRequestUrl.AbsoluteUri));
            Assert.That(inspect.Output.Contains(Issuer.GitHubRequestToken, StringComparison.Ordinal), Is.False, "the request token is in the refresher's configuration");
            Assert.That(left, Is.Empty, "the refresher deleted the request token once read");
        });

        var state = FileCommandFile.Parse(Steps.Runner.HostFile(step.State));
        var lastSeen = await File.ReadAllTextAsync(tokenFile, cancellationToken);
        var idTokensBeforePost = Issuer.IssuedCount;
        var post = await Steps.RunAsync("action-post", Steps.Runner.NewStep(), Inputs(), new Dictionary<string, string> { ["studio_token"] = state["studio_token"] }, JobWithIdTokenPermission());

        var revoked = Server.RevokedTokens.Skip(revokedBefore).ToList();
        var allExchanged = Server.TokenExchanges.Select(e => e.AccessToken).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(post.Output, Does.Contain("revocation: revoked"), post.ToString());
            Assert.That(revoked, Has.Count.EqualTo(1), "post revoked one token");
            // The client is public: it revokes with its client_id alone, so an ID token would be asked for in vain.
            Assert.That(Issuer.IssuedCount, Is.EqualTo(idTokensBeforePost), "post asked for no ID token");
            // The refresher may have written one more token between the read above and the post step stopping it.
            Assert.That(allExchanged.IndexOf(revoked.FirstOrDefault() ?? string.Empty), Is.GreaterThanOrEqualTo(allExchanged.IndexOf(lastSeen)).And.GreaterThanOrEqualTo(0), "post revoked the last token, not an older one");
            Assert.That(Directory.Exists(tokenDir), Is.False);
        });
        Assert.That(await Server.IsActiveAsync(revoked[0], TestClient.DefaultBasic, cancellationToken), Is.False, "the revoked token is dead");
        Assert.That(await Steps.RefreshersAsync(), Is.Empty);
    }

    private TokenExchange? ExchangeOf(string accessToken) => Server.TokenExchanges.SingleOrDefault(e => e.AccessToken == accessToken);

    private Dictionary<string, string> Inputs()
    {
        var inputs = Inputs(_client);
        inputs["grant"] = "token-exchange";
        inputs["subject-token-type"] = JwtTokenType;
        return inputs;
    }
}
