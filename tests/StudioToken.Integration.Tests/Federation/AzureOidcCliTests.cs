using StudioToken.TestServer.Federation;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>
/// <c>--client-auth azure_oidc</c> as an Azure Pipelines job runs it, the local issuer standing in for the agent's
/// OIDC token service and OpenIddict trusting it. Every test scans all output for System.AccessToken, the OIDC tokens
/// and the access token.
/// </summary>
[CancelAfter(120_000)]
public sealed class AzureOidcCliTests
{
    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    [Test]
    public async Task Fetch_gets_a_token_naming_the_client_with_one_new_OIDC_token()
    {
        var before = Issuer.IssuedCount;

        var (run, token) = await FederatedCli.FetchAsync(FederatedEnvironments.Azure(FederationServers.AzureClient));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(FederatedCli.Subject(token), Is.EqualTo(FederationServers.AzureClient.ClientId));
            Assert.That(Issuer.IssuedCount - before, Is.EqualTo(1));
        }

        FederationServers.AssertNoSecretIn(run.AllText, token);
    }

    [Test]
    public async Task Another_service_connection_exits_2_with_one_line_saying_what_to_check()
    {
        var requests = FederationServers.Server.TokenRequestCount;

        var (run, token) = await FederatedCli.FetchAsync(
            FederatedEnvironments.Azure(FederationServers.AzureClient), "--azure-service-connection", "00000000-0000-0000-0000-000000000000");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(FederatedCli.OneLineError(run), Does.Contain("404").And.Contain("service connection"));
            Assert.That(token, Is.Empty);
            Assert.That(FederationServers.Server.TokenRequestCount, Is.EqualTo(requests));
        }

        FederationServers.AssertNoSecretIn(run.AllText);
    }
}
