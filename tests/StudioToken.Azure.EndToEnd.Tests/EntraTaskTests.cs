using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StudioToken.Testing;
using StudioToken.TestServer;
using static StudioToken.Azure.EndToEnd.Tests.TaskRun;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>
/// The staged task with <c>provider: entra</c> and a client secret or a certificate file, run by Node as the agent runs it, against the
/// HTTPS Entra stand-in on 127.0.0.1 (trusted through <c>SSL_CERT_FILE</c>, as a job behind a corporate CA would be).
/// Tokens live 4 s, so the refresher asks MSAL for a new one every 2 s. Every run's output is scanned for the secret
/// and every token.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EntraTaskTests
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private const string ClientId = "5a1e0f9c-0000-4000-8000-00000000c11e";
    private const string ClientSecret = "entra-e2e-Zq9;%]secret";

    private EntraStandIn _standIn = null!;
    private string _caFile = null!;
    private string _certificateFile = null!;
    private AgentSimulation _agent = null!;
    private readonly List<string> _accessTokens = [];

    [OneTimeSetUp]
    public async Task StartStandIn()
    {
        if (TaskLayout.TaskDirectory is null)
        {
            Assert.Ignore("set STUDIO_TOKEN_AZURE_TASK_DIR to a task folder staged by azure-task/build-vsix.sh (.ci/run does)");
        }

        _standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { ClientSecret = ClientSecret, ExpiresIn = 4 });
        _caFile = Path.Combine(Directory.CreateTempSubdirectory("entra-ca-").FullName, "ca.pem");
        await File.WriteAllTextAsync(_caFile, _standIn.ServerCertificatePem());
        _certificateFile = Path.Combine(Path.GetDirectoryName(_caFile)!, "app.pem");
        await File.WriteAllTextAsync(_certificateFile, AppCertificatePem());
    }

    [OneTimeTearDown]
    public async Task StopStandIn()
    {
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(_caFile)!, recursive: true);
        }
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
            SecretScan.AssertAbsent(shown, ClientSecret, $"the output of {run.CommandLine}");
            _accessTokens.ForEach(token => SecretScan.AssertAbsent(shown, token, $"the output of {run.CommandLine}"));
        }

        _agent.Dispose();
    }

    [TestCase("client secret")]
    [TestCase("certificate")]
    public async Task The_first_token_and_every_refresh_come_through_MSAL_and_the_post_job_step_cleans_up(string credential, CancellationToken cancellationToken)
    {
        var inputs = AgentSimulation.DefaultInputs();
        inputs["INPUT_PROVIDER"] = "entra";
        inputs["INPUT_TENANTID"] = Tenant;
        inputs["INPUT_AUTHORITYHOST"] = _standIn.AuthorityHost.AbsoluteUri;
        inputs["INPUT_CLIENTID"] = ClientId;
        inputs[credential == "certificate" ? "INPUT_CERTIFICATEFILE" : "INPUT_CLIENTSECRET"] = credential == "certificate" ? _certificateFile : ClientSecret;
        inputs["INPUT_RESOURCE"] = "https://management.azure.com";
        inputs["SSL_CERT_FILE"] = _caFile;
        var requestsBefore = _standIn.TokenRequests.Count;

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        if (credential == "client secret")
        {
            Assert.That(commands[0].Command, Is.EqualTo("task.setsecret"));
            Assert.That(commands[0].Data, Is.EqualTo(ClientSecret), "the secret is registered first");
        }

        var first = Variable(commands, "STUDIO_TOKEN");
        _accessTokens.Add(first.Data);
        Assert.That(first.Data, Does.StartWith("entra-token-"));

        // The refresher: Entra's settings as STUDIO_* variables, no token URL, and the secret in neither argv nor environment.
        var pid = int.Parse(TaskVariable(commands, "studioTokenRefresherPid"), System.Globalization.CultureInfo.InvariantCulture);
        var argv = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken);
        var environ = await File.ReadAllTextAsync($"/proc/{pid}/environ", cancellationToken);
        SecretScan.AssertAbsent(argv, ClientSecret, "the refresher's command line");
        SecretScan.AssertAbsent(environ, ClientSecret, "the refresher's environment");
        Assert.That(environ.Split('\0'), Does.Contain("STUDIO_PROVIDER=entra").And.Contain("STUDIO_TENANT_ID=" + Tenant).And.Contain("STUDIO_AUTHORITY_HOST=" + _standIn.AuthorityHost.AbsoluteUri));
        Assert.That(environ, Does.Not.Contain("STUDIO_TOKEN_URL=").And.Not.Contain("INPUT_").And.Not.Contain("ENDPOINT_"));

        // Two refreshes, each a token request MSAL sent from the refresher with the secret it read on standard input, or
        // an assertion signed with the certificate it read from the same file.
        var tokenFile = Variable(commands, "STUDIO_TOKEN_FILE").Data;
        var generation = await WaitForGenerationAsync(tokenFile, 3, _accessTokens, cancellationToken);
        Assert.That(generation, Is.GreaterThanOrEqualTo(3));
        var requests = _standIn.TokenRequests.Skip(requestsBefore).ToList();
        Assert.That(requests, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(requests.Select(r => r.Path).Distinct(), Is.EqualTo(new[] { $"/{Tenant}/oauth2/v2.0/token" }));
        Assert.That(requests.Select(r => r.Form.GetValueOrDefault("client_secret")).Distinct(), Is.EqualTo(new[] { credential == "certificate" ? null : ClientSecret }));
        Assert.That(requests.Select(r => r.Form.ContainsKey("client_assertion")), Has.All.EqualTo(credential == "certificate"));
        Assert.That(requests.Select(r => r.Form["scope"]), Has.All.Contain("https://management.azure.com/.default"));

        var post = await _agent.RunPostAsync(inputs, commands, cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        var postCommands = await AgentCommand.ParseAsync(post.Output, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(postCommands.Where(c => c.Command == "task.logissue"), Is.Empty, post.ToString());
            Assert.That(post.Output, Does.Contain($"refresher (process {pid}) stopped").And.Contain("refreshed: generation"));
            Assert.That(post.Output.Split('\n').Count(line => line.Contains("Entra ID has no revocation endpoint", StringComparison.Ordinal)), Is.EqualTo(1), post.ToString());
            Assert.That(Directory.Exists(Path.GetDirectoryName(tokenFile)), Is.False);
            Assert.That(ProcessesWithLookupId(_agent.ProcessLookupId), Is.Empty, "no process of the job is left");
        });
    }

    /// <summary>The app's certificate with its unencrypted key, as one would download it from secure files; fixed dates, no clock read.</summary>
    private static string AppCertificatePem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=studio-token-azure-e2e", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
