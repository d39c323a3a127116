using System.Security.Cryptography;
using StudioToken.Testing;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;
using static StudioToken.Azure.EndToEnd.Tests.TaskRun;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>
/// The staged task with no stored client secret, run by Node as the agent runs it: private_key_jwt against OpenIddict,
/// and azure_oidc (client assertion or RFC 8693 token exchange) against the local ID-token issuer standing in for the
/// agent's OIDC endpoint, which OpenIddict trusts. Tokens live 4 s, so the refresher refreshes every 2 s. Every run's output is scanned for the key, the job's
/// access token, every ID token issued and every access token.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeylessTaskTests
{
    private const string AssertionType = "client-authentication+jwt";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FederationRig _rig = null!;
    private TestClient _keyClient = null!;
    private TestClient _azureClient = null!;
    private TestClient _azureExchangeClient = null!;
    private AgentSimulation _agent = null!;
    private readonly List<string> _accessTokens = [];

    private IdTokenIssuer Issuer => _rig.Issuer;

    private OpenIddictTestServer Server => _rig.Server;

    private string KeyPem => _key.ExportPkcs8PrivateKeyPem();

    [OneTimeSetUp]
    public async Task StartServers()
    {
        if (TaskLayout.TaskDirectory is null)
        {
            Assert.Ignore("set STUDIO_TOKEN_AZURE_TASK_DIR to a task folder staged by azure-task/build-vsix.sh (.ci/run does)");
        }

        _rig = await FederationRig.StartAsync(issuer =>
        {
            _keyClient = TestClient.WithPublicKeys("task-key-client", _key.ExportSubjectPublicKeyInfoPem());
            _azureClient = TestClient.Federated("task-azure-client", issuer.AzureCredential());
            _azureExchangeClient = TestClient.FederatedExchange("task-azure-exchange-client", issuer.AzureCredential());
            return [TestClient.DefaultBasic, _keyClient, _azureClient, _azureExchangeClient];
        }, TimeSpan.FromSeconds(4));

        // The first request warms the server (JIT, key material) so no token the task gets is half spent waiting.
        await Server.IsActiveAsync("warm-up", TestClient.DefaultBasic);
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        _key.Dispose();
    }

    [SetUp]
    public void SetUp()
    {
        _agent = new AgentSimulation(TaskLayout.TaskDirectory!);
        _accessTokens.Clear();
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var pid in ProcessesWithLookupId(_agent.ProcessLookupId))
        {
            KillQuietly(pid);
        }

        foreach (var run in _agent.Runs)
        {
            var shown = WithoutAgentConsumedCommands(run.All);
            var where = $"the output of {run.CommandLine}";
            foreach (var line in KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)))
            {
                SecretScan.AssertAbsent(shown, line, where);
            }

            SecretScan.AssertAbsent(shown, Issuer.AzureAccessToken, where);
            Issuer.IssuedTokens.ToList().ForEach(idToken => SecretScan.AssertAbsent(shown, idToken, where));
            _accessTokens.ForEach(token => SecretScan.AssertAbsent(shown, token, where));
        }

        _agent.Dispose();
    }

    [Test]
    public async Task Private_key_jwt_signs_every_request_and_the_refresher_gets_the_key_only_on_standard_input(CancellationToken cancellationToken)
    {
        var inputs = AgentSimulation.DefaultInputs();
        inputs["INPUT_TOKENURL"] = Server.TokenUrl.AbsoluteUri;
        inputs["INPUT_CLIENTID"] = _keyClient.ClientId;
        inputs["INPUT_CLIENTAUTH"] = "private_key_jwt";
        inputs["INPUT_PRIVATEKEY"] = KeyPem;
        inputs["INPUT_ASSERTIONAUDIENCE"] = Server.Issuer.AbsoluteUri;
        inputs["INPUT_ASSERTIONTYPE"] = AssertionType;
        inputs["INPUT_SCOPE"] = TestScopes.Script;
        inputs["INPUT_REVOCATIONURL"] = Server.RevocationUrl.AbsoluteUri;

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        Assert.That(commands[0].Command, Is.EqualTo("task.setsecret"));
        Assert.That(commands[0].Data, Is.EqualTo(KeyPem.Trim()), "the key is registered first, whole");

        var tokenFile = Variable(commands, "STUDIO_TOKEN_FILE").Data;
        await AssertRefresherHoldsNoneOfAsync(commands, KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)), cancellationToken);
        var generation = await WaitForGenerationAsync(tokenFile, 3, _accessTokens, cancellationToken);
        Assert.That(generation, Is.GreaterThanOrEqualTo(3), "the refresher signed its own assertions");

        var lastToken = await File.ReadAllTextAsync(tokenFile, cancellationToken);
        var post = await _agent.RunPostAsync(inputs, commands, cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(post.Output, Does.Contain("stopped").And.Contain("revocation: revoked"));
        Assert.That(await Server.IsActiveAsync(lastToken, TestClient.DefaultBasic, cancellationToken), Is.False, "the last token was revoked with a key-signed assertion");
        Assert.That(ProcessesWithLookupId(_agent.ProcessLookupId), Is.Empty);
    }

    [TestCase("client_credentials")]
    [TestCase("token-exchange")]
    public async Task Azure_oidc_needs_no_stored_secret_and_the_refresher_mints_a_new_OIDC_token_for_every_request(string grant, CancellationToken cancellationToken)
    {
        var inputs = AzureOidcInputs();
        inputs["INPUT_GRANT"] = grant;
        inputs["INPUT_CLIENTID"] = grant == "token-exchange" ? _azureExchangeClient.ClientId : _azureClient.ClientId;
        var before = Issuer.IssuedCount;

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        Assert.That(commands.Where(c => c.Command == "task.setsecret").Select(c => c.Data), Does.Contain(Issuer.AzureAccessToken), "the job's access token is registered too");
        var mintedByNow = Issuer.IssuedCount - before;
        var tokenFile = Variable(commands, "STUDIO_TOKEN_FILE").Data;

        // The refresher runs from the moment main starts it; on a loaded machine it may have refreshed (or be asking)
        // by now, so one OIDC token per generation written, plus at most one in flight.
        var generationByNow = await WaitForGenerationAsync(tokenFile, 1, _accessTokens, cancellationToken);
        Assert.That(mintedByNow, Is.InRange(1, generationByNow + 1), "one OIDC token for each token (main's first one included), none wasted");

        await AssertRefresherHoldsNoneOfAsync(commands, [Issuer.AzureAccessToken], cancellationToken);
        var generation = await WaitForGenerationAsync(tokenFile, 4, _accessTokens, cancellationToken);
        var lastToken = await File.ReadAllTextAsync(tokenFile, cancellationToken);
        _accessTokens.Add(lastToken);
        Assert.That(Issuer.IssuedCount - before, Is.GreaterThanOrEqualTo(generation), "a new OIDC token for every token issued");

        var minted = Issuer.IssuedCount;
        var post = await _agent.RunPostAsync(inputs, commands, cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(post.Output, Does.Contain("stopped").And.Contain("revocation: revoked"));
        Assert.That(
            Issuer.IssuedCount,
            grant == "token-exchange" ? Is.EqualTo(minted) : Is.GreaterThan(minted),
            grant == "token-exchange" ? "the public client revoked with its client id alone, asking for no OIDC token" : "the revocation authenticated with an OIDC token of its own");
        // Counts, not the list: a failure message must not print OIDC tokens.
        Assert.That(Issuer.IssuedTokens.Distinct().Count(), Is.EqualTo(Issuer.IssuedTokens.Count), "no OIDC token was used twice");
        Assert.That(await Server.IsActiveAsync(lastToken, TestClient.DefaultBasic, cancellationToken), Is.False, "the last token was revoked");
        Assert.That(ProcessesWithLookupId(_agent.ProcessLookupId), Is.Empty);
    }

    [TestCase("SYSTEM_ACCESSTOKEN", "SYSTEM_ACCESSTOKEN: $(System.AccessToken)")]
    [TestCase("SYSTEM_OIDCREQUESTURI", "System.OidcRequestUri")]
    public async Task Azure_oidc_without_what_the_agent_gives_fails_with_exit_1_and_one_line_naming_it(string missing, string named, CancellationToken cancellationToken)
    {
        var inputs = AzureOidcInputs();
        inputs[missing] = string.Empty;
        if (missing == "SYSTEM_ACCESSTOKEN")
        {
            inputs.Remove(AgentAccessTokenVariable);
        }

        var before = Issuer.IssuedCount;
        var requests = Server.TokenRequestCount;

        var main = await _agent.RunMainAsync(inputs, cancellationToken);

        Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
        var errors = (await AgentCommand.ParseAsync(main.Output, cancellationToken)).Where(c => c.Command == "task.logissue").ToList();
        Assert.That(errors.Select(e => e.Data), Is.EqualTo(new[] { errors[0].Data }), main.ToString());
        Assert.That(errors[0].Data, Does.Contain("input clientAuth:").And.Contain(named));
        Assert.That(Directory.EnumerateFileSystemEntries(_agent.TempDirectory), Is.Empty, "nothing written");
        Assert.That(Issuer.IssuedCount, Is.EqualTo(before));
        Assert.That(Server.TokenRequestCount, Is.EqualTo(requests));

        var post = await _agent.RunPostAsync(inputs, [], cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(post.Output, Does.Contain("nothing to clean up"));
    }

    private const string AgentAccessTokenVariable = "ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN";

    /// <summary>
    /// An Azure Resource Manager workload identity federation connection, and the job's access token where the agent
    /// puts it for every task (its SystemVssConnection), not mapped by the pipeline.
    /// </summary>
    private Dictionary<string, string> AzureOidcInputs()
    {
        var connection = Issuer.AzureServiceConnectionId;
        var inputs = AgentSimulation.DefaultInputs();
        inputs["INPUT_TOKENURL"] = Server.TokenUrl.AbsoluteUri;
        inputs["INPUT_CLIENTID"] = _azureClient.ClientId;
        inputs["INPUT_CLIENTAUTH"] = "azure_oidc";
        inputs["INPUT_OIDCSERVICECONNECTION"] = connection;
        inputs["INPUT_GRANT"] = "client_credentials";
        inputs["INPUT_SCOPE"] = TestScopes.Script;
        inputs["INPUT_REVOCATIONURL"] = Server.RevocationUrl.AbsoluteUri;
        inputs["ENDPOINT_URL_" + connection] = "https://management.azure.com/";
        inputs["ENDPOINT_AUTH_SCHEME_" + connection] = "WorkloadIdentityFederation";
        inputs["SYSTEM_OIDCREQUESTURI"] = Issuer.AzureOidcRequestUri.AbsoluteUri;
        inputs["SYSTEM_ACCESSTOKEN"] = string.Empty;
        inputs[AgentAccessTokenVariable] = Issuer.AzureAccessToken;
        return inputs;
    }

    private static async Task AssertRefresherHoldsNoneOfAsync(IEnumerable<AgentCommand> commands, IEnumerable<string> secrets, CancellationToken cancellationToken)
    {
        var pid = int.Parse(TaskVariable(commands, "studioTokenRefresherPid"), System.Globalization.CultureInfo.InvariantCulture);
        var argv = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken);
        var environ = await File.ReadAllTextAsync($"/proc/{pid}/environ", cancellationToken);
        foreach (var secret in secrets)
        {
            SecretScan.AssertAbsent(argv, secret, "the refresher's command line");
            SecretScan.AssertAbsent(environ, secret, "the refresher's environment");
        }

        Assert.That(environ, Does.Not.Contain("ENDPOINT_").And.Not.Contain("INPUT_").And.Not.Contain("SYSTEM_ACCESSTOKEN"));
    }
}
