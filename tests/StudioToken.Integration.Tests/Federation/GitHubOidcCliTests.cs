using StudioToken.Testing;
using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// <c>--client-auth github_oidc</c> as a GitHub Actions job runs it, the local issuer standing in for GitHub's ID-token
/// service and OpenIddict trusting it. Every test scans all output for the request token, the ID tokens and the
/// access token.
/// </summary>
[CancelAfter(120_000)]
public sealed class GitHubOidcCliTests
{
    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    [TearDown]
    public void AnswerNormallyAgain() => Issuer.Reset();

    [Test]
    public async Task Fetch_gets_a_token_naming_the_client_with_one_new_ID_token()
    {
        var before = Issuer.IssuedCount;

        var (run, token) = await FederatedCli.FetchAsync(FederatedEnvironments.GitHub(FederationServers.GitHubClient));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(FederatedCli.Subject(token), Is.EqualTo(FederationServers.GitHubClient.ClientId));
            Assert.That(Issuer.IssuedCount - before, Is.EqualTo(1));
        }

        FederationServers.AssertNoSecretIn(run.AllText, token);
    }

    [Test]
    public async Task Fetch_with_oidc_audience_asks_GitHub_for_an_ID_token_for_it()
    {
        var (run, token) = await FederatedCli.FetchAsync(
            FederatedEnvironments.GitHub(FederationServers.GitHubAudienceClient), "--oidc-audience", FederationServers.CustomAudience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(FederatedCli.Subject(token), Is.EqualTo(FederationServers.GitHubAudienceClient.ClientId));
        FederationServers.AssertNoSecretIn(run.AllText, token);
    }

    [Test]
    public async Task Exec_asks_for_an_ID_token_for_the_token_and_a_new_one_to_revoke_it_and_the_server_knows_it_revoked()
    {
        var environment = FederatedEnvironments.GitHub(FederationServers.GitHubClient);
        environment["STUDIO_REVOCATION_URL"] = FederationServers.Server.RevocationUrl.AbsoluteUri;
        var report = Path.GetTempFileName();
        try
        {
            var before = Issuer.IssuedCount;

            var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", $"cat \"$STUDIO_TOKEN_FILE\" > {report}"], environment);
            var token = await File.ReadAllTextAsync(report);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(run.ExitCode, Is.Zero, run.ToString());
                Assert.That(token, Is.Not.Empty);
                Assert.That(run.Error, Does.Contain($"revoked the last token at {FederationServers.Server.RevocationUrl}"));
                Assert.That(Issuer.IssuedCount - before, Is.EqualTo(2), "one ID token for the token request, a new one for the revocation");
                Assert.That(token.Length > 0 && await FederationServers.IsActiveAsync(token), Is.False, "the server must know the token as revoked");
            }

            FederationServers.AssertNoSecretIn(run.AllText, token);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Test]
    public async Task Without_ACTIONS_ID_TOKEN_REQUEST_URL_fetch_exits_1_with_one_line_naming_the_missing_permission()
    {
        // What a job without `permissions: id-token: write` looks like: the runner sets neither variable.
        var environment = FederatedEnvironments.GitHub(FederationServers.GitHubClient);
        environment.Remove("ACTIONS_ID_TOKEN_REQUEST_URL");
        environment.Remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        var (issued, requests) = (Issuer.IssuedCount, FederationServers.Server.TokenRequestCount);

        var (run, token) = await FederatedCli.FetchAsync(environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(FederatedCli.OneLineError(run), Does.Contain("permissions: id-token: write"));
            Assert.That(token, Is.Empty);
            Assert.That(Issuer.IssuedCount, Is.EqualTo(issued));
            Assert.That(FederationServers.Server.TokenRequestCount, Is.EqualTo(requests), "nothing is sent");
        }

        FederationServers.AssertNoSecretIn(run.AllText);
    }

    [Test]
    public async Task A_403_from_GitHubs_ID_token_endpoint_exits_2_with_one_line_naming_the_permission()
    {
        Issuer.Answer = IdTokenAnswer.Forbidden;
        var requests = FederationServers.Server.TokenRequestCount;

        var (run, token) = await FederatedCli.FetchAsync(FederatedEnvironments.GitHub(FederationServers.GitHubClient));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(FederatedCli.OneLineError(run), Does.Contain("GitHub").And.Contain("403").And.Contain("id-token: write"));
            Assert.That(token, Is.Empty);
            Assert.That(FederationServers.Server.TokenRequestCount, Is.EqualTo(requests), "without an ID token nothing reaches the server");
        }

        FederationServers.AssertNoSecretIn(run.AllText);
    }

    [Test]
    public async Task An_expired_ID_token_is_refused_by_the_server_and_fetch_exits_2_with_a_hint()
    {
        Issuer.MintExpired = true;

        var (run, token) = await FederatedCli.FetchAsync(FederatedEnvironments.GitHub(FederationServers.GitHubClient));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(FederatedCli.OneLineError(run), Does.Contain("invalid_client").And.Contain("expired").And.Contain("check that the server trusts"));
            Assert.That(token, Is.Empty);
        }

        FederationServers.AssertNoSecretIn(run.AllText);
    }
}
