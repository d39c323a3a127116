using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.Cli.Tests.Commands;

/// <summary>
/// <c>--provider entra</c> end to end in-process: the CLI against the HTTPS Entra stand-in on 127.0.0.1, trusted by
/// its certificate alone. One stand-in for the fixture; each test has a client id of its own, since MSAL remembers a
/// client's throttling process-wide.
/// </summary>
public sealed class EntraCommandTests
{
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ClientSecret = "entra-cli-s3cret~\u00e9+%";

    private EntraStandIn _standIn = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartStandIn()
    {
        _standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { ClientSecret = ClientSecret });
        _directory = Path.Combine(Path.GetTempPath(), "studio-token-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [OneTimeTearDown]
    public async Task StopStandIn()
    {
        await _standIn.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Fetch_with_a_client_secret_prints_an_entra_token_and_never_the_secret()
    {
        var environment = Environment();
        var before = _standIn.TokenRequests.Count;

        var run = await RunAsync(["fetch"], environment);

        var request = _standIn.TokenRequests.Skip(before).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.StartWith("entra-token-"));
            Assert.That(request.Path, Is.EqualTo($"/{TenantId}/oauth2/v2.0/token"));
            Assert.That(request.Form["client_id"], Is.EqualTo(environment["STUDIO_CLIENT_ID"]));
            Assert.That(request.Form["client_secret"], Is.EqualTo(ClientSecret));
            Assert.That(request.Form["scope"], Is.EqualTo("https://management.azure.com/.default"));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task Fetch_json_names_the_tenants_token_endpoint_and_takes_refresh_at_from_entras_refresh_in()
    {
        await using var longLived = await EntraStandIn.StartAsync(new EntraStandInOptions { ExpiresIn = 86399, RefreshIn = 3600 });
        var environment = Environment(("STUDIO_AUTHORITY_HOST", longLived.AuthorityHost.AbsoluteUri));

        var run = await CliHarness.RunAsync(["fetch", "--output", "json"], environment, createHandler: longLived.CreateTrustingHandler);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var json = JObject.Parse(run.Output);
        var expiresAt = DateTimeOffset.Parse((string)json["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var refreshAt = DateTimeOffset.Parse((string)json["refresh_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["token_url"], Is.EqualTo(new Uri(longLived.AuthorityHost, $"{TenantId}/oauth2/v2.0/token").AbsoluteUri));
            Assert.That(json.ContainsKey("access_token"), Is.False);
            Assert.That(expiresAt - refreshAt, Is.EqualTo(TimeSpan.FromSeconds(86399 - 3600)).Within(TimeSpan.FromSeconds(60)), "refresh_in (1 h), not half of 24 h");
        });
    }

    [Test]
    public async Task Fetch_with_a_certificate_file_sends_a_client_assertion_signed_by_its_key()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=studio-token-cli-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pem = certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
        var file = Path.Combine(_directory, "app-certificate.pem");
        await File.WriteAllTextAsync(file, pem);
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");
        var before = _standIn.TokenRequests.Count;

        var run = await RunAsync(["fetch", "--certificate-file", file], environment);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var form = _standIn.TokenRequests.Skip(before).Single().Form;
        var header = JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(form["client_assertion"].Split('.')[0])));
        Assert.Multiple(() =>
        {
            Assert.That(form.ContainsKey("client_secret"), Is.False);
            Assert.That(form["client_assertion_type"], Is.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That((string?)header["x5t#S256"] ?? (string?)header["x5t"], Is.Not.Null, "the certificate is named by its thumbprint");
        });
        foreach (var line in pem.Split('\n').Where(line => line.Length > 16 && !line.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.That(run.AllText, Does.Not.Contain(line), "no line of the key is printed");
        }
    }

    [Test]
    public async Task Fetch_with_github_oidc_presents_the_jobs_id_token_as_the_client_assertion()
    {
        await using var issuer = await IdTokenIssuer.StartAsync();
        var environment = Environment(
            ("STUDIO_CLIENT_AUTH", "github_oidc"),
            ("STUDIO_OIDC_AUDIENCE", "api://AzureADTokenExchange"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", issuer.GitHubRequestUrl.AbsoluteUri),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", issuer.GitHubRequestToken));
        environment.Remove("STUDIO_CLIENT_SECRET");
        var before = _standIn.TokenRequests.Count;

        var run = await RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var form = _standIn.TokenRequests.Skip(before).Single().Form;
        Assert.Multiple(() =>
        {
            Assert.That(form["client_assertion"], Is.EqualTo(issuer.IssuedTokens.Single()));
            Assert.That(form.ContainsKey("client_secret"), Is.False);
        });
        SecretScan.AssertAbsent(run.AllText, issuer.IssuedTokens.Single(), "the ID token");
        SecretScan.AssertAbsent(run.AllText, issuer.GitHubRequestToken, "the runner's request token");
    }

    [Test]
    public async Task Refresh_writes_the_token_directory_and_plans_its_refresh_at_entras_refresh_in()
    {
        await using var longLived = await EntraStandIn.StartAsync(new EntraStandInOptions { ExpiresIn = 86399, RefreshIn = 3600 });
        var environment = Environment(("STUDIO_AUTHORITY_HOST", longLived.AuthorityHost.AbsoluteUri));
        var tokenDir = Path.Combine(_directory, "refresh-" + Guid.NewGuid().ToString("N"));

        var run = await CliHarness.RunAsync(["refresh", "--token-dir", tokenDir, "--max-lifetime", "1s"], environment, createHandler: longLived.CreateTrustingHandler);

        // "wrote generation 1 to ...; expires E, refresh at R": refresh_in (1 h) before expiry, not half of 24 h.
        var times = System.Text.RegularExpressions.Regex.Match(run.Error, "expires (\\S+), refresh at (\\S+)");
        Assert.That(times.Success, Is.True, run.ToString());
        var expiresAt = DateTimeOffset.Parse(times.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var refreshAt = DateTimeOffset.Parse(times.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(File.ReadAllText(Path.Combine(tokenDir, "token")), Does.StartWith("entra-token-"));
            Assert.That(expiresAt - refreshAt, Is.EqualTo(TimeSpan.FromSeconds(86399 - 3600)).Within(TimeSpan.FromSeconds(60)));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Refresh_on_a_driven_clock_writes_a_new_generation_at_each_of_entras_refresh_in(CancellationToken cancellationToken)
    {
        // MSAL dates its tokens by the wall clock; the source carries what is left of them over to the clock it is
        // given, so the refresher runs on a driven clock from a fixed start, far from the wall clock's now.
        await using var standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { ClientSecret = ClientSecret, ExpiresIn = 3599, RefreshIn = 600 }, cancellationToken);
        var clock = new TimerDrivenClock();
        var requestedAt = new ConcurrentQueue<DateTimeOffset>();
        standIn.TokenRequested += _ => requestedAt.Enqueue(clock.GetUtcNow());
        var environment = Environment(("STUDIO_AUTHORITY_HOST", standIn.AuthorityHost.AbsoluteUri));
        var tokenDir = Path.Combine(_directory, "driven-" + Guid.NewGuid().ToString("N"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // --timeout 0: a request timeout would be a timer on the driven clock too; without one, every timer is the
        // refresher's wait, and the next is started only once the refresh before it is written.
        var running = CliHarness.RunAsync(["refresh", "--token-dir", tokenDir, "--timeout", "0"], environment, timeProvider: clock, createHandler: standIn.CreateTrustingHandler, cancellationToken: stop.Token);
        while (true)
        {
            var wait = await clock.NextTimerAsync(cancellationToken);
            if (requestedAt.Count >= 3)
            {
                break;
            }

            clock.Advance(wait);
        }

        await stop.CancelAsync();
        var run = await running;

        var times = requestedAt.ToArray();
        var metadata = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(tokenDir, "token.json"), cancellationToken));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(times, Has.Length.EqualTo(3), "the first token and two refreshes");
            Assert.That((long?)metadata["generation"], Is.EqualTo(3));
            Assert.That(File.ReadAllText(Path.Combine(tokenDir, "token")), Does.StartWith("entra-token-3-"));
            Assert.That(times[1] - times[0], Is.EqualTo(TimeSpan.FromSeconds(600)).Within(TimeSpan.FromSeconds(5)), "refresh_in (10 min), not half of the hour");
            Assert.That(times[2] - times[1], Is.EqualTo(TimeSpan.FromSeconds(600)).Within(TimeSpan.FromSeconds(5)));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [TestCase(new[] { "--provider", "azure" }, "--provider: 'azure' is not supported; use oauth or entra")]
    [TestCase(new[] { "--tenant-id", TenantId }, "--tenant-id: is only used with --provider entra")]
    [TestCase(new[] { "--provider", "entra", "--tenant-id", "common" }, "tenant-id: 'common' names no tenant")]
    [TestCase(new[] { "--provider", "entra", "--tenant-id", "../x" }, "tenant-id: must be the directory (tenant) id")]
    [TestCase(new[] { "--provider", "entra", "--authority-host", "http://login.example.com" }, "authority-host: 'http://login.example.com/' must be an https:// host alone")]
    [TestCase(new[] { "--provider", "entra", "--token-url", "https://id.example.com/token" }, "--token-url: is not used with --provider entra")]
    [TestCase(new[] { "--provider", "entra", "--audience", "api://x" }, "--audience: is not used with --provider entra")]
    [TestCase(new[] { "--provider", "entra", "--extra-params", "a=b" }, "--extra-params: is not used with --provider entra")]
    [TestCase(new[] { "--provider", "entra", "--scope", "https://graph.microsoft.com/.default", "--resource", "https://management.azure.com" }, "--scope: give either --scope or --resource")]
    [TestCase(new[] { "--provider", "entra", "--client-auth", "private_key_jwt" }, "--client-auth: private_key_jwt is not used with --provider entra")]
    [TestCase(new[] { "--provider", "entra", "--certificate-file", "/nonexistent/app.pem" }, "--certificate-file: cannot read /nonexistent/app.pem")]
    public async Task A_wrong_entra_setting_exits_1_with_one_line_naming_the_fix_and_sends_nothing(string[] arguments, string expected)
    {
        var environment = Environment();
        environment.Remove("STUDIO_PROVIDER");
        environment.Remove("STUDIO_TENANT_ID");
        environment.Remove("STUDIO_AUTHORITY_HOST");
        environment["STUDIO_TOKEN_URL"] = "https://studio.example.com/api/v2/oauth/token";
        if (arguments.Contains("--provider"))
        {
            environment.Remove("STUDIO_TOKEN_URL");
            environment["STUDIO_AUTHORITY_HOST"] = _standIn.AuthorityHost.AbsoluteUri;
            if (!arguments.Contains("--tenant-id"))
            {
                environment["STUDIO_TENANT_ID"] = TenantId;
            }
        }

        await AssertConfigurationErrorAsync(["fetch", .. arguments], environment, expected);
    }

    [Test]
    public async Task Entra_without_a_tenant_asks_for_one()
    {
        var environment = Environment();
        environment.Remove("STUDIO_TENANT_ID");

        await AssertConfigurationErrorAsync(["fetch"], environment, "--tenant-id: is required; pass --tenant-id");
    }

    [Test]
    public async Task Entra_without_a_resource_or_scope_asks_for_one()
    {
        var environment = Environment();
        environment.Remove("STUDIO_RESOURCE");

        await AssertConfigurationErrorAsync(["fetch"], environment, "--resource: Entra needs what the token is for");
    }

    [Test]
    public async Task Entra_without_any_credential_names_all_three_kinds()
    {
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");

        await AssertConfigurationErrorAsync(["fetch"], environment, "client-secret: no credential for --provider entra; set STUDIO_CLIENT_SECRET");
    }

    [Test]
    public async Task Exec_refuses_a_revocation_url_since_entra_has_no_revocation_endpoint()
    {
        await AssertConfigurationErrorAsync(["exec", "--revocation-url", "https://login.example.com/revoke", "--", "true"], Environment(), "--revocation-url: is not used with --provider entra");
    }

    [Test]
    public async Task Exec_runs_the_command_with_an_entra_token()
    {
        var output = Path.Combine(_directory, "exec-" + Guid.NewGuid().ToString("N"));

        var run = await RunAsync(["exec", "--", "/bin/sh", "-c", $"printf '%s' \"$STUDIO_TOKEN\" > '{output}'"], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(await File.ReadAllTextAsync(output), Does.StartWith("entra-token-"));
    }

    private Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["STUDIO_PROVIDER"] = "entra",
            ["STUDIO_TENANT_ID"] = TenantId,
            ["STUDIO_AUTHORITY_HOST"] = _standIn.AuthorityHost.AbsoluteUri,
            ["STUDIO_CLIENT_ID"] = Guid.NewGuid().ToString(),
            ["STUDIO_CLIENT_SECRET"] = ClientSecret,
            ["STUDIO_RESOURCE"] = "https://management.azure.com",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    private Task<CliRun> RunAsync(string[] args, Dictionary<string, string> environment) =>
        CliHarness.RunAsync(args, environment, createHandler: _standIn.CreateTrustingHandler);

    private async Task AssertConfigurationErrorAsync(string[] args, Dictionary<string, string> environment, string expected)
    {
        var before = _standIn.Requests.Count;

        var run = await RunAsync(args, environment);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("studio-token: error: " + expected), run.ToString());
            Assert.That(run.Output, Is.Empty);
            Assert.That(_standIn.Requests, Has.Count.EqualTo(before), "nothing is sent");
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }
}
