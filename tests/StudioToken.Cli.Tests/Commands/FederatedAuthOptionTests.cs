using StudioToken.Testing;

namespace StudioToken.Cli.Tests.Commands;

/// <summary>
/// The github_oidc / azure_oidc options as a user meets them outside the CI they need: a one-line error naming the
/// fix, exit 1, and nothing sent. The federated paths themselves run against a real server in the integration tests.
/// </summary>
public sealed class FederatedAuthOptionTests : EndpointFixture
{
    private async Task<CliRun> FetchAsync(params (string Name, string Value)[] environment)
    {
        var variables = Environment();
        variables.Remove("STUDIO_CLIENT_SECRET");
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return await CliHarness.RunAsync(["fetch"], variables);
    }

    private static void AssertConfigurationError(CliRun run, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.Contain(expected));
            Assert.That(run.Output, Is.Empty);
        });
    }

    [Test]
    public async Task Github_oidc_in_a_job_without_the_id_token_permission_says_to_add_it()
    {
        var run = await FetchAsync(("STUDIO_CLIENT_AUTH", "github_oidc"));

        AssertConfigurationError(run, "permissions: id-token: write");
        Assert.That(Endpoint.Requests, Is.Empty);
    }

    [Test]
    public async Task Azure_oidc_outside_a_pipeline_says_where_it_runs()
    {
        var run = await FetchAsync(("STUDIO_CLIENT_AUTH", "azure_oidc"), ("STUDIO_AZURE_SERVICE_CONNECTION_ID", "3f2c9d4e-1111-4a5b-9c8d-0123456789ab"));

        AssertConfigurationError(run, "SYSTEM_OIDCREQUESTURI");
    }

    [Test]
    public async Task Azure_oidc_without_a_service_connection_asks_for_one()
    {
        var run = await FetchAsync(
            ("STUDIO_CLIENT_AUTH", "azure_oidc"),
            ("SYSTEM_OIDCREQUESTURI", "https://dev.azure.com/org/p/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken"),
            ("SYSTEM_ACCESSTOKEN", "system-access-token"));

        AssertConfigurationError(run, "--azure-service-connection");
        Assert.That(run.AllText, Does.Not.Contain("system-access-token"));
    }

    [Test]
    public async Task An_unknown_grant_is_named()
    {
        var run = await FetchAsync(("STUDIO_CLIENT_SECRET", ClientSecret), ("STUDIO_GRANT", "password"));

        AssertConfigurationError(run, "'password' is not supported; use client_credentials or token-exchange");
    }

    [Test]
    public async Task A_token_exchange_needs_a_CI_platforms_ID_token()
    {
        var run = await FetchAsync(("STUDIO_CLIENT_SECRET", ClientSecret), ("STUDIO_GRANT", "token-exchange"));

        AssertConfigurationError(run, "use it with client-auth github_oidc or azure_oidc");
    }

    [Test]
    public async Task An_unknown_client_auth_lists_every_method()
    {
        var run = await FetchAsync(("STUDIO_CLIENT_AUTH", "tls_client_auth"));

        AssertConfigurationError(run, "client_secret_basic, client_secret_post, private_key_jwt, github_oidc or azure_oidc");
    }
}
