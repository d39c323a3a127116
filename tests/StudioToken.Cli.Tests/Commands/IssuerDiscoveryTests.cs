using Newtonsoft.Json.Linq;
using StudioToken.LocalEndpoint;
using StudioToken.Testing;

namespace StudioToken.Cli.Tests.Commands;

/// <summary>
/// <c>--issuer</c> against metadata served raw from 127.0.0.1 (the fixture's endpoint on the RFC 8414 path, faults as
/// documents), pointing at the fixture's real token endpoint.
/// </summary>
public sealed class IssuerDiscoveryTests : EndpointFixture
{
    private LocalTokenEndpoint _metadata = null!;

    private Uri Issuer => new(_metadata.TokenUrl, "/");

    [SetUp]
    public void StartMetadataServer() =>
        _metadata = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = "unused", Path = "/.well-known/oauth-authorization-server" });

    [TearDown]
    public async Task StopMetadataServer() => await _metadata.DisposeAsync();

    private void Serve(string body, string contentType = "application/json") =>
        _metadata.EnqueueFault(new EndpointFault.RawResponse(200, contentType, body));

    private void ServeDocument(Action<JObject>? change = null)
    {
        var document = new JObject
        {
            ["issuer"] = Issuer.AbsoluteUri,
            ["token_endpoint"] = Endpoint.TokenUrl.AbsoluteUri,
            ["token_endpoint_auth_methods_supported"] = new JArray("client_secret_post"),
        };
        change?.Invoke(document);
        Serve(document.ToString());
    }

    private Dictionary<string, string> IssuerEnvironment(params (string Name, string Value)[] extra)
    {
        var environment = Environment(extra);
        environment.Remove("STUDIO_TOKEN_URL");
        environment["STUDIO_ISSUER"] = Issuer.AbsoluteUri;
        return environment;
    }

    private static void AssertOneErrorLine(CliRun run, int exitCode, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("studio-token: error: ").And.Contain(expected));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task Fetch_uses_the_token_endpoint_the_metadata_names_with_the_one_method_it_lists()
    {
        ServeDocument();
        var before = Endpoint.RequestCount;

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var request = Endpoint.Requests[before];
        Assert.Multiple(() =>
        {
            Assert.That(_metadata.Requests.Single().Method, Is.EqualTo("GET"));
            Assert.That(_metadata.Requests.Single().Headers.ContainsKey("Authorization"), Is.False);
            Assert.That(request.Headers.ContainsKey("Authorization"), Is.False, "client_secret_post is the only method the server lists");
            Assert.That(request.Form, Does.Contain(new KeyValuePair<string, string>("client_secret", ClientSecret)));
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task Without_listed_methods_it_uses_client_secret_basic_and_token_json_names_the_discovered_endpoint()
    {
        ServeDocument(document => document.Remove("token_endpoint_auth_methods_supported"));
        var before = Endpoint.RequestCount;
        var directory = NewTempDirectory();
        try
        {
            var run = await CliHarness.RunAsync(["fetch", "--token-dir", directory], IssuerEnvironment());

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var metadata = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "token.json")));
            Assert.Multiple(() =>
            {
                Assert.That(Endpoint.Requests[before].Headers["Authorization"], Does.StartWith("Basic "));
                Assert.That((string?)metadata["token_url"], Is.EqualTo(Endpoint.TokenUrl.AbsoluteUri));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_token_url_given_as_well_wins_over_the_discovered_one()
    {
        ServeDocument(document => document["token_endpoint"] = "http://127.0.0.1:9/nothing-listens-here");

        var run = await CliHarness.RunAsync(["fetch", "--token-url", Endpoint.TokenUrl.AbsoluteUri], IssuerEnvironment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    [Test]
    public async Task A_document_that_is_not_JSON_exits_3_naming_both_locations()
    {
        Serve("<!doctype html><title>Sign in</title>", "text/html");

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment());

        AssertOneErrorLine(run, 3, $"found no authorization server metadata for {Issuer}: {Issuer}.well-known/oauth-authorization-server answered 200 with HTML, not JSON; {Issuer}.well-known/openid-configuration answered 404 NotFound; check the issuer");
    }

    [Test]
    public async Task A_document_without_a_token_endpoint_exits_3_without_asking_for_a_token()
    {
        ServeDocument(document => document.Remove("token_endpoint"));
        var before = Endpoint.RequestCount;

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment());

        AssertOneErrorLine(run, 3, "has no token_endpoint");
        Assert.That(Endpoint.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task A_document_for_another_issuer_exits_3()
    {
        ServeDocument(document => document["issuer"] = "https://id.example.com/");

        var run = await CliHarness.RunAsync(["fetch"], IssuerEnvironment());

        AssertOneErrorLine(run, 3, $"names the issuer 'https://id.example.com/', not '{Issuer}'");
    }

    [Test]
    public async Task A_chosen_method_the_server_does_not_list_exits_1_saying_what_it_supports()
    {
        ServeDocument();
        var before = Endpoint.RequestCount;

        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "client_secret_basic"], IssuerEnvironment());

        AssertOneErrorLine(run, 1, $"client-auth: client_secret_basic is not supported by {Issuer}; it supports client_secret_post");
        Assert.That(Endpoint.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task An_issuer_over_plain_http_to_another_host_exits_1_before_any_request()
    {
        var run = await CliHarness.RunAsync(["fetch", "--issuer", "http://id.example.com/"], IssuerEnvironment());

        AssertOneErrorLine(run, 1, "--issuer: 'http://id.example.com/' uses http:// to a host that is not loopback");
        Assert.That(_metadata.RequestCount, Is.Zero);
    }

    [Test]
    public async Task A_configuration_error_is_reported_before_discovery_sends_anything()
    {
        var environment = IssuerEnvironment();
        environment.Remove("STUDIO_CLIENT_ID");

        var run = await CliHarness.RunAsync(["fetch"], environment);

        AssertOneErrorLine(run, 1, "--client-id: is required");
        Assert.That(_metadata.RequestCount, Is.Zero);
    }
}
