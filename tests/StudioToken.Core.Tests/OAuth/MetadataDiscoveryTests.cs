using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class MetadataDiscoveryTests
{
    private static readonly Uri Issuer = new("https://id.example.com/");
    private static readonly Uri OAuthLocation = new("https://id.example.com/.well-known/oauth-authorization-server");
    private static readonly Uri OpenIdLocation = new("https://id.example.com/.well-known/openid-configuration");

    private FakeTimeProvider _time = null!;
    private ScriptedHttpHandler _handler = null!;
    private HttpClient _httpClient = null!;
    private List<string> _logged = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(TestTokens.Start);
        _handler = new ScriptedHttpHandler();
        _httpClient = TokenClient.CreateHttpClient(_handler);
        _logged = [];
    }

    [TearDown]
    public void TearDown()
    {
        _httpClient.Dispose();
        _handler.Dispose();
        Assert.That(_handler.Remaining, Is.Zero, "every scripted answer must have been asked for");
    }

    private MetadataDiscovery Discovery(int maxAttempts = 5)
    {
        var log = new Mock<ITokenLog>(MockBehavior.Strict);
        log.Setup(l => l.Warning(It.IsAny<string>())).Callback<string>(_logged.Add);
        return new MetadataDiscovery(_httpClient, _time, new RetryPolicy { MaxAttempts = maxAttempts }, new FixedRandom(0.5), log.Object);
    }

    private Task<ServerMetadata> Discover(Uri? issuer = null, bool allowInsecureHttp = false, int maxAttempts = 5) =>
        Discovery(maxAttempts).DiscoverAsync(issuer ?? Issuer, allowInsecureHttp, TimeSpan.FromSeconds(30), CancellationToken.None);

    private static string Document(string issuer = "https://id.example.com/", string extra = "") =>
        $$"""{"issuer":"{{issuer}}","token_endpoint":"https://id.example.com/oauth/token","revocation_endpoint":"https://id.example.com/oauth/revoke"{{extra}}}""";

    private static HttpResponseMessage Text(HttpStatusCode status, string mediaType, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    [TestCase("https://id.example.com", "https://id.example.com/.well-known/oauth-authorization-server", "https://id.example.com/.well-known/openid-configuration")]
    [TestCase("https://id.example.com/", "https://id.example.com/.well-known/oauth-authorization-server", "https://id.example.com/.well-known/openid-configuration")]
    [TestCase("https://id.example.com/issuer1", "https://id.example.com/.well-known/oauth-authorization-server/issuer1", "https://id.example.com/issuer1/.well-known/openid-configuration")]
    [TestCase("https://kc.example.com:8443/realms/ci/", "https://kc.example.com:8443/.well-known/oauth-authorization-server/realms/ci", "https://kc.example.com:8443/realms/ci/.well-known/openid-configuration")]
    public void Looks_where_RFC_8414_inserts_and_OpenID_appends_the_well_known_path(string issuer, string oauth, string openId)
    {
        Assert.That(MetadataDiscovery.Locations(new Uri(issuer)).Select(u => u.AbsoluteUri), Is.EqualTo(new[] { oauth, openId }));
    }

    [Test]
    public async Task Reads_the_endpoints_and_auth_methods_from_RFC_8414_metadata_with_a_plain_GET()
    {
        _handler.ThenJson(HttpStatusCode.OK, Document(extra: ""","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt"]"""));

        var metadata = await Discover();

        var request = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Get));
            Assert.That(request.Uri, Is.EqualTo(OAuthLocation));
            Assert.That(request.Header("Authorization"), Is.Null, "metadata is public: no credentials go there");
            Assert.That(request.Header("Accept"), Is.EqualTo("application/json"));
            Assert.That(metadata.Issuer, Is.EqualTo(Issuer));
            Assert.That(metadata.TokenEndpoint, Is.EqualTo(new Uri("https://id.example.com/oauth/token")));
            Assert.That(metadata.RevocationEndpoint, Is.EqualTo(new Uri("https://id.example.com/oauth/revoke")));
            Assert.That(metadata.TokenEndpointAuthMethods, Is.EqualTo(new[] { "client_secret_post", "private_key_jwt" }));
            Assert.That(metadata.DocumentUrl, Is.EqualTo(OAuthLocation));
        });
    }

    [Test]
    public async Task Falls_back_to_the_OpenID_configuration_when_there_is_no_RFC_8414_document()
    {
        _handler.Then(() => Text(HttpStatusCode.NotFound, "text/plain", "Not found."))
            .ThenJson(HttpStatusCode.OK, Document());

        var metadata = await Discover();

        Assert.Multiple(() =>
        {
            Assert.That(_handler.Requests.Select(r => r.Uri), Is.EqualTo(new[] { OAuthLocation, OpenIdLocation }));
            Assert.That(metadata.DocumentUrl, Is.EqualTo(OpenIdLocation));
            Assert.That(metadata.TokenEndpointAuthMethods, Is.EqualTo(new[] { "client_secret_basic" }), "RFC 8414's default when the document lists none");
        });
    }

    [Test]
    public async Task Falls_back_when_the_RFC_8414_location_serves_an_HTML_page()
    {
        _handler.Then(() => Text(HttpStatusCode.OK, "text/html", "<!doctype html><title>Portal</title>"))
            .ThenJson(HttpStatusCode.OK, Document());

        var metadata = await Discover();

        Assert.That(metadata.DocumentUrl, Is.EqualTo(OpenIdLocation));
    }

    [Test]
    public async Task Does_not_follow_a_redirect_and_says_so_when_nothing_else_has_metadata()
    {
        _handler.Then(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.Found);
                response.Headers.Location = new Uri("https://elsewhere.example.net/.well-known/oauth-authorization-server");
                return response;
            })
            .Then(() => Text(HttpStatusCode.NotFound, "text/plain", "Not found."));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Discover());

        Assert.Multiple(() =>
        {
            Assert.That(_handler.Requests.Select(r => r.Uri), Is.EqualTo(new[] { OAuthLocation, OpenIdLocation }));
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Is.EqualTo(
                "found no authorization server metadata for https://id.example.com/: " +
                "https://id.example.com/.well-known/oauth-authorization-server answered 302 Found (a redirect, which is not followed); " +
                "https://id.example.com/.well-known/openid-configuration answered 404 NotFound; check the issuer"));
        });
    }

    [Test]
    public void A_body_that_is_not_a_JSON_object_at_both_locations_is_a_bad_response_naming_both()
    {
        _handler.Then(() => Text(HttpStatusCode.OK, "application/json", "[\"not\", \"an object\"]"))
            .Then(() => Text(HttpStatusCode.OK, "text/plain", "hello"));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Discover());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("oauth-authorization-server answered 200 with a body that is not a JSON object"));
            Assert.That(ex.Message, Does.Contain("openid-configuration answered 200 with a body that is not a JSON object"));
            Assert.That(ex.Message, Does.Not.Contain('\n'));
        });
    }

    [Test]
    public void A_document_for_another_issuer_is_refused_without_looking_further()
    {
        _handler.ThenJson(HttpStatusCode.OK, Document(issuer: "https://evil.example.net/"));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Discover());

        Assert.Multiple(() =>
        {
            Assert.That(_handler.Requests, Has.Count.EqualTo(1));
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("names the issuer 'https://evil.example.net/', not 'https://id.example.com/'"));
        });
    }

    [Test]
    public void A_body_over_1_MiB_is_refused_unread()
    {
        _handler.Then(() =>
        {
            var response = Text(HttpStatusCode.OK, "application/json", "{}");
            response.Content.Headers.ContentLength = TokenResponseParser.MaxBodyBytes + 1;
            return response;
        });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Discover());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Is.EqualTo("authorization server metadata at https://id.example.com/.well-known/oauth-authorization-server answered 200 with a body over 1 MiB; refusing to read it"));
        });
    }

    [Test]
    public async Task Retries_a_503_after_its_Retry_After_on_the_clock()
    {
        _handler.ThenJson(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7)))
            .ThenJson(HttpStatusCode.OK, Document());

        var pending = Discover();
        Assert.That(_handler.Requests, Has.Count.EqualTo(1));
        _time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.That(_handler.Requests, Has.Count.EqualTo(1));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var metadata = await pending;

        Assert.Multiple(() =>
        {
            Assert.That(_handler.Requests.Select(r => r.Uri), Is.EqualTo(new[] { OAuthLocation, OAuthLocation }), "a transient failure is retried where it happened, not skipped");
            Assert.That(metadata.TokenEndpoint.AbsolutePath, Is.EqualTo("/oauth/token"));
            Assert.That(_logged.Single(), Does.StartWith("attempt 1 of 5 failed: authorization server metadata at https://id.example.com/.well-known/oauth-authorization-server answered 503 ServiceUnavailable"));
        });
    }

    [Test]
    public void An_unreachable_server_is_transient_and_gives_up_after_the_attempts()
    {
        _handler.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Discover(maxAttempts: 1));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Is.EqualTo("could not reach the authorization server at https://id.example.com: ConnectionError (gave up after 1 attempts)"));
        });
    }

    [Test]
    public void A_server_that_does_not_answer_times_out_on_the_clock()
    {
        _handler.ThenNeverAnswer();

        var pending = Discover(maxAttempts: 1);
        _time.Advance(TimeSpan.FromSeconds(30));

        var ex = Assert.ThrowsAsync<TokenRequestException>(async () => await pending);
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Does.StartWith("authorization server metadata at https://id.example.com/.well-known/oauth-authorization-server did not answer within 30 s"));
        });
    }

    [TestCase("https://id.example.com/?tenant=ci", "must not contain a ?query")]
    [TestCase("https://id.example.com/#top", "must not contain user information or a #fragment")]
    [TestCase("http://id.example.com/", "uses http:// to a host that is not loopback")]
    [TestCase("ftp://id.example.com/", "is not an absolute http(s) URL")]
    public void An_unfit_issuer_is_a_configuration_error_before_any_request(string issuer, string problem)
    {
        var ex = Assert.ThrowsAsync<TokenConfigurationException>(() => Discover(new Uri(issuer)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Setting, Is.EqualTo("issuer"));
            Assert.That(ex.Message, Does.Contain(problem));
            Assert.That(_handler.Requests, Is.Empty);
        });
    }

    [Test]
    public void Plain_http_is_fine_to_loopback_and_where_explicitly_allowed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MetadataDiscovery.IssuerProblem(new Uri("http://127.0.0.1:8080/"), allowInsecureHttp: false), Is.Null);
            Assert.That(MetadataDiscovery.IssuerProblem(new Uri("http://id.internal/"), allowInsecureHttp: true), Is.Null);
            Assert.That(MetadataDiscovery.IssuerProblem(new Uri("http://id.internal/"), allowInsecureHttp: false), Is.Not.Null);
        });
    }
}
