using Moq;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.Storage;
using StudioToken.Testing;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.Azure.Tests.Steps;

/// <summary>
/// <c>provider: entra</c> in-process: the main step gets its token through MSAL from the HTTPS Entra stand-in on
/// 127.0.0.1, hands the refresher the Entra settings, and the post-job step has nothing to revoke.
/// </summary>
[TestFixture]
[Platform("Linux")]
[CancelAfter(120_000)]
public sealed class TaskEntraTests
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private const string ClientId = "5a1e0f9c-0000-4000-8000-00000000c11e";
    private const string ClientSecret = "entra-task-Zq9;%]secret";

    private static readonly RefresherHandle Handle = new(2718, new DateTimeOffset(2026, 1, 15, 9, 0, 1, TimeSpan.Zero));

    private EntraStandIn _standIn = null!;
    private AgentJob _job = null!;

    [SetUp]
    public async Task SetUp()
    {
        _standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { ClientSecret = ClientSecret });
        _job = new AgentJob(_standIn, Tenant, ClientId, ClientSecret);
        _job.Launcher.Setup(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>())).Returns(Handle);
        _job.Launcher.Setup(l => l.StopAsync(It.IsAny<RefresherHandle>(), It.IsAny<CancellationToken>())).ReturnsAsync("stopped");
    }

    [TearDown]
    public async Task TearDown()
    {
        _job.Dispose();
        await _standIn.DisposeAsync();
    }

    [Test]
    public async Task Gets_the_first_token_from_the_tenants_endpoint_through_MSAL_and_starts_the_refresher_with_the_entra_settings(CancellationToken cancellationToken)
    {
        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var token = run.Output.Variable("STUDIO_TOKEN").Data;
        var tokenFile = run.Output.Variable("STUDIO_TOKEN_FILE").Data;
        var request = _standIn.TokenRequests.Single();
        var expectedEndpoint = new Uri(_standIn.AuthorityHost, Tenant + "/oauth2/v2.0/token");
        Assert.Multiple(() =>
        {
            Assert.That(token, Does.StartWith("entra-token-1-"));
            Assert.That(File.ReadAllText(tokenFile), Is.EqualTo(token));
            Assert.That(request.Path, Is.EqualTo($"/{Tenant}/oauth2/v2.0/token"));
            Assert.That(request.Form["client_id"], Is.EqualTo(ClientId));
            Assert.That(request.Form["client_secret"], Is.EqualTo(ClientSecret));
            Assert.That(request.Form["scope"], Does.Contain("https://management.azure.com/.default"));
            Assert.That(TokenMetadata.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(tokenFile)!, TokenMetadata.FileName))).TokenUrl, Is.EqualTo(expectedEndpoint));
            Assert.That(run.Output.Text, Does.Contain($"Entra ID tenant {Tenant}"));
            Assert.That(run.Output.Issues("warning"), Is.Empty);
        });
        _job.Launcher.Verify(l => l.Start(It.Is<TaskSettings>(s => s.Entra != null && s.Entra.Settings.TenantId == Tenant && s.Request.TokenUrl == expectedEndpoint), It.IsAny<string>()));
        run.Output.AssertNoLeak(ClientSecret, token);
    }

    [Test]
    public async Task The_post_job_step_says_once_that_entra_has_no_revocation_endpoint_and_cleans_up(CancellationToken cancellationToken)
    {
        var main = await _job.MainAsync(cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var tokenDir = Path.GetDirectoryName(main.Output.Variable("STUDIO_TOKEN_FILE").Data)!;
        var requestsBefore = _standIn.Requests.Count;

        var post = await _job.PostAsync(main, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(Directory.Exists(tokenDir), Is.False);
            Assert.That(post.Output.Lines.Count(line => line.Contains("Entra ID has no revocation endpoint", StringComparison.Ordinal)), Is.EqualTo(1), post.ToString());
            Assert.That(post.Output.Issues("warning"), Is.Empty);
            Assert.That(_standIn.Requests, Has.Count.EqualTo(requestsBefore), "nothing is sent to Entra after the job");
        });
        _job.Launcher.Verify(l => l.StopAsync(Handle, It.IsAny<CancellationToken>()));
        post.Output.AssertNoLeak(ClientSecret, main.Output.Variable("STUDIO_TOKEN").Data);
    }

    [Test]
    public async Task Azure_oidc_sends_the_agents_OIDC_token_as_the_client_assertion_and_no_secret(CancellationToken cancellationToken)
    {
        await using var issuer = await IdTokenIssuer.StartAsync(cancellationToken: cancellationToken);
        var connection = issuer.AzureServiceConnectionId;
        _job.Environment.Remove("INPUT_CLIENTSECRET");
        _job.Set("clientAuth", "azure_oidc");
        _job.Set("oidcServiceConnection", connection);
        _job.Environment["ENDPOINT_URL_" + connection] = "https://management.azure.com/";
        _job.Environment["ENDPOINT_AUTH_SCHEME_" + connection] = "WorkloadIdentityFederation";
        _job.Environment["SYSTEM_OIDCREQUESTURI"] = issuer.AzureOidcRequestUri.AbsoluteUri;
        _job.Environment["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"] = issuer.AzureAccessToken;

        var run = await _job.MainAsync(cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var request = _standIn.TokenRequests.Single();
        var idToken = issuer.IssuedTokens.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Form["client_assertion"], Is.EqualTo(idToken));
            Assert.That(request.Form["client_assertion_type"], Is.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That(request.Form, Does.Not.ContainKey("client_secret"));
        });
        _job.Launcher.Verify(l => l.Start(It.Is<TaskSettings>(s => s.AzureOidc != null && s.Entra != null && s.Entra.Settings.Credential is Entra.EntraCredential.FederatedAssertion), It.IsAny<string>()));
        run.Output.AssertNoLeak(issuer.AzureAccessToken, run.Output.Variable("STUDIO_TOKEN").Data);
        SecretScan.AssertAbsent(run.Output.Text, idToken, "the main step's output");
    }

    [Test]
    public async Task A_wrong_client_secret_is_exit_2_with_entras_reason_and_no_secret(CancellationToken cancellationToken)
    {
        _job.Set("clientSecret", "not-the-" + ClientSecret);

        var run = await _job.MainAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Output.Issues("error").Single(), Does.Contain("AADSTS7000215"));
            Assert.That(run.Output.Named("task.setvariable"), Is.Empty);
        });
        _job.Launcher.Verify(l => l.Start(It.IsAny<TaskSettings>(), It.IsAny<string>()), Times.Never);
        run.Output.AssertNoLeak("not-the-" + ClientSecret);
    }

    [Test]
    public async Task A_build_without_entra_refuses_the_provider_with_one_error_and_sends_nothing(CancellationToken cancellationToken)
    {
        _job.CreateEntraSource = null;

        var run = await _job.MainAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output.Issues("error").Single(), Does.Contain("input provider: entra is not in this build"));
            Assert.That(_standIn.Requests, Is.Empty);
        });
    }
}
