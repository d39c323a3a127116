using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// <c>--grant token-exchange</c>: the CI platform's ID token goes as the RFC 8693 subject token of a public client,
/// which OpenIddict exchanges once the federation trust has checked it.
/// </summary>
[CancelAfter(120_000)]
public sealed class TokenExchangeCliTests
{
    // Given explicitly once, to prove the flag is taken; it is also the default.
    private const string FederatedSubjectTokenType = "urn:ietf:params:oauth:token-type:jwt";

    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    [TearDown]
    public void MintValidTokensAgain() => Issuer.Reset();

    [Test]
    public async Task Fetch_exchanging_the_GitHub_ID_token_gets_a_token_naming_the_client()
    {
        var environment = FederatedEnvironments.GitHub(FederationServers.GitHubExchangeClient);
        environment["STUDIO_GRANT"] = "token-exchange";

        var (run, token) = await FederatedCli.FetchAsync(environment);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(FederatedCli.Subject(token), Is.EqualTo(FederationServers.GitHubExchangeClient.ClientId));
        FederationServers.AssertNoSecretIn(run.AllText, token);
    }

    [Test]
    public async Task Fetch_exchanging_the_Azure_OIDC_token_gets_a_token_naming_the_client()
    {
        var (run, token) = await FederatedCli.FetchAsync(
            FederatedEnvironments.Azure(FederationServers.AzureExchangeClient), "--grant", "token-exchange", "--subject-token-type", FederatedSubjectTokenType);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(FederatedCli.Subject(token), Is.EqualTo(FederationServers.AzureExchangeClient.ClientId));
        FederationServers.AssertNoSecretIn(run.AllText, token);
    }

    [Test]
    public async Task Exchanging_an_expired_ID_token_exits_2_with_one_line_naming_invalid_request_and_the_expiry()
    {
        Issuer.MintExpired = true;
        var environment = FederatedEnvironments.GitHub(FederationServers.GitHubExchangeClient);
        environment["STUDIO_GRANT"] = "token-exchange";

        var (run, token) = await FederatedCli.FetchAsync(environment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(FederatedCli.OneLineError(run), Does.Contain("invalid_request").And.Contain("expired"));
            Assert.That(token, Is.Empty);
        }

        FederationServers.AssertNoSecretIn(run.AllText);
    }
}
