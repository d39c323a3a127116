using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.LocalEndpoint;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>
/// <c>--issuer</c> against OpenIddict's own discovery document (issuer = its base URL), and <c>exec</c>'s revocation
/// proven by asking the server (RFC 7662 introspection). Documents that are wrong are OpenIddict's real one, changed
/// and replayed from a raw endpoint on another loopback port.
/// </summary>
/// <remarks>Its own server with hour-long tokens: with the assembly's 4-second ones "revoked" could not be told from "expired".</remarks>
[Platform("Linux")]
[CancelAfter(120_000)]
public sealed class DiscoveryTests
{
    private static readonly TestClient Client = TestClient.DefaultBasic;

    private OpenIddictTestServer _server = null!;
    private string _document = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromHours(1) });

        // Warms the server (JIT, key material) so no test pays for it against its timeout, and keeps its real document.
        using var http = TokenClient.CreateHttpClient();
        var warmUp = new TokenRequest { TokenUrl = _server.TokenUrl, ClientId = Client.ClientId, ClientSecret = new Secret(Client.ClientSecret), Scope = TestScopes.Script, RequestTimeout = TimeSpan.FromMinutes(2) };
        await new TokenClient(http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(warmUp, CancellationToken.None);
        _document = await http.GetStringAsync(new Uri(_server.BaseUrl, ".well-known/openid-configuration"));
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private Dictionary<string, string> IssuerEnvironment(Uri? issuer = null) => new()
    {
        ["STUDIO_ISSUER"] = (issuer ?? _server.BaseUrl).AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = Client.ClientId,
        ["STUDIO_CLIENT_SECRET"] = Client.ClientSecret,
        ["STUDIO_SCOPE"] = TestScopes.Script,
    };

    [Test]
    public async Task Fetch_with_only_the_issuer_discovers_the_token_endpoint_and_gets_a_token(CancellationToken cancellationToken)
    {
        var run = await CliHarness.RunAsync(["fetch", "--output", "json", "--include-token"], IssuerEnvironment(), cancellationToken: cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var response = JObject.Parse(run.Output);
        var claims = JObject.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(((string)response["access_token"]!).Split('.')[1])));
        Assert.Multiple(() =>
        {
            Assert.That((string?)response["token_url"], Is.EqualTo(_server.TokenUrl.AbsoluteUri));
            Assert.That((string?)claims["sub"], Is.EqualTo(Client.ClientId));
            Assert.That(run.Error, Is.Empty, "a successful fetch prints nothing on standard error");
        });
        SecretScan.AssertAbsent(run.AllText, Client.ClientSecret, "the client secret");
    }

    [Test]
    public async Task Exec_with_only_the_issuer_revokes_its_token_at_the_discovered_endpoint_once_the_command_ends(CancellationToken cancellationToken)
    {
        var report = Path.GetTempFileName();
        try
        {
            var run = await CliHarness.RunAsync(["exec", "--", "/bin/sh", "-c", $"cat \"$STUDIO_TOKEN_FILE\" > {report}"], IssuerEnvironment(), cancellationToken: cancellationToken);
            var token = await File.ReadAllTextAsync(report, cancellationToken);

            var active = token.Length > 0 && await IsActiveAsync(token, cancellationToken);

            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.Zero, run.ToString());
                Assert.That(token, Is.Not.Empty);
                Assert.That(run.Error, Does.Contain($"revoked the last token at {_server.RevocationUrl}"));
                Assert.That(active, Is.False, "the server must know the token as revoked");
            });
            SecretScan.AssertAbsent(run.AllText, token, "the token");
            SecretScan.AssertAbsent(run.AllText, Client.ClientSecret, "the client secret");
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Test]
    public async Task Exec_with_no_revoke_leaves_the_token_active(CancellationToken cancellationToken)
    {
        var report = Path.GetTempFileName();
        try
        {
            var run = await CliHarness.RunAsync(["exec", "--no-revoke", "--", "/bin/sh", "-c", $"cat \"$STUDIO_TOKEN_FILE\" > {report}"], IssuerEnvironment(), cancellationToken: cancellationToken);
            var token = await File.ReadAllTextAsync(report, cancellationToken);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(await IsActiveAsync(token, cancellationToken), Is.True);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Test]
    public async Task OpenIddicts_document_served_for_another_issuer_exits_3_naming_both(CancellationToken cancellationToken)
    {
        await using var replay = Replay(document => document["issuer"] = _server.BaseUrl.AbsoluteUri);

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment(IssuerOf(replay)), cancellationToken: cancellationToken);

        AssertOneErrorLine(run, 3, $"authorization server metadata at {IssuerOf(replay)}.well-known/oauth-authorization-server names the issuer '{_server.BaseUrl}', not '{IssuerOf(replay)}'");
    }

    [Test]
    public async Task OpenIddicts_document_without_its_token_endpoint_exits_3(CancellationToken cancellationToken)
    {
        await using var replay = Replay(document => document.Remove("token_endpoint"));

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment(IssuerOf(replay)), cancellationToken: cancellationToken);

        AssertOneErrorLine(run, 3, "has no token_endpoint");
    }

    [Test]
    public async Task A_server_listing_no_method_a_client_secret_allows_exits_1_saying_what_it_supports(CancellationToken cancellationToken)
    {
        await using var replay = Replay(document => document["token_endpoint_auth_methods_supported"] = new JArray("private_key_jwt", "tls_client_auth"));
        var before = _server.TokenRequestCount;

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment(IssuerOf(replay)), cancellationToken: cancellationToken);

        AssertOneErrorLine(run, 1, $"client-auth: {IssuerOf(replay)} supports only private_key_jwt, tls_client_auth, none of which the credentials given allow (client_secret_basic, client_secret_post)");
        Assert.That(_server.TokenRequestCount, Is.EqualTo(before), "nothing is sent to the token endpoint");
    }

    [Test]
    public async Task A_chosen_method_the_server_does_not_list_exits_1_saying_what_it_supports(CancellationToken cancellationToken)
    {
        await using var replay = Replay(document => document["token_endpoint_auth_methods_supported"] = new JArray("client_secret_basic"));
        var environment = IssuerEnvironment(IssuerOf(replay));
        environment["STUDIO_CLIENT_AUTH"] = "client_secret_post";

        var run = await CliHarness.RunAsync(["fetch"], environment, cancellationToken: cancellationToken);

        AssertOneErrorLine(run, 1, $"client-auth: client_secret_post is not supported by {IssuerOf(replay)}; it supports client_secret_basic");
    }

    /// <summary>
    /// Serves OpenIddict's real document at the RFC 8414 location of another loopback port, naming that port's issuer,
    /// as changed by <paramref name="change"/>. Its endpoints still point at OpenIddict.
    /// </summary>
    private LocalTokenEndpoint Replay(Action<JObject> change)
    {
        var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = "unused", Path = MetadataDiscovery.OAuthWellKnownPath });
        var document = JObject.Parse(_document);
        document["issuer"] = IssuerOf(endpoint).AbsoluteUri;
        change(document);
        endpoint.EnqueueFault(new EndpointFault.RawResponse(200, "application/json;charset=UTF-8", document.ToString()));
        return endpoint;
    }

    private static Uri IssuerOf(LocalTokenEndpoint endpoint) => new(endpoint.TokenUrl, "/");

    private static void AssertOneErrorLine(CliRun run, int exitCode, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("studio-token: error: ").And.Contain(expected));
        });
        SecretScan.AssertAbsent(run.AllText, Client.ClientSecret, "the client secret");
    }

    private Task<bool> IsActiveAsync(string token, CancellationToken cancellationToken) => _server.IsActiveAsync(token, Client, cancellationToken);
}
