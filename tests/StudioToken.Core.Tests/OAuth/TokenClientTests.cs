using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class TokenClientTests
{
    private const string ClientSecretValue = "s3cr:t +%Ω";
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");

    private FakeTimeProvider _time = null!;
    private ScriptedHttpHandler _handler = null!;
    private HttpClient _httpClient = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(TestTokens.Start);
        _handler = new ScriptedHttpHandler();
        _httpClient = TokenClient.CreateHttpClient(_handler);
    }

    [TearDown]
    public void TearDown()
    {
        _httpClient.Dispose();
        _handler.Dispose();
    }

    private static TokenRequest Request(Uri? url = null, ClientAuthMethod auth = ClientAuthMethod.ClientSecretBasic) => new()
    {
        TokenUrl = url ?? TokenUrl,
        ClientId = "ci client",
        ClientSecret = new Secret(ClientSecretValue),
        AuthMethod = auth,
    };

    private TokenClient Client(Random? random = null) => new(_httpClient, _time, new RefreshPolicy(), random ?? new Random(1234));

    private Task<TokenResponse> Send(TokenRequest? request = null, CancellationToken cancellationToken = default) =>
        Client().RequestAsync(request ?? Request(), cancellationToken);

    [Test]
    public async Task Sends_client_secret_basic_as_base64_of_the_form_encoded_id_and_secret()
    {
        _handler.ThenToken();

        await Send();

        var authorization = AuthenticationHeaderValue.Parse(_handler.Requests.Single().Header("Authorization")!);
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter!));
        var halves = pair.Split(':');
        Assert.Multiple(() =>
        {
            Assert.That(authorization.Scheme, Is.EqualTo("Basic"));
            Assert.That(halves, Has.Length.EqualTo(2), "the ':' inside the secret must be encoded so the pair splits in two");
            Assert.That(halves[0], Is.EqualTo("ci+client"), "a space is '+' in application/x-www-form-urlencoded");
            Assert.That(halves[1], Does.Contain("+").And.Contain("%25").And.Not.Contain(" "));
            Assert.That(WebUtility.UrlDecode(halves[0]), Is.EqualTo("ci client"));
            Assert.That(WebUtility.UrlDecode(halves[1]), Is.EqualTo(ClientSecretValue));
            Assert.That(_handler.Requests.Single().FormValues("client_secret"), Is.Empty);
            Assert.That(_handler.Requests.Single().FormValues("client_id"), Is.Empty);
        });
    }

    [Test]
    public async Task Sends_client_secret_post_in_the_form_and_no_Authorization_header()
    {
        _handler.ThenToken();

        await Send(Request(auth: ClientAuthMethod.ClientSecretPost));

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.Header("Authorization"), Is.Null);
            Assert.That(sent.FormValues("client_id"), Is.EqualTo(new List<string> { "ci client" }));
            Assert.That(sent.FormValues("client_secret"), Is.EqualTo(new List<string> { ClientSecretValue }));
            Assert.That(sent.Body, Does.Contain("client_id=ci+client"));
        });
    }

    [Test]
    public async Task Posts_a_client_credentials_form_with_scope_audience_resources_and_extra_parameters()
    {
        _handler.ThenToken();
        var request = Request() with
        {
            Scope = "studio:script studio:read",
            Audience = "https://api.studio.example.com",
            Resources = [new Uri("https://a.example.com/"), new Uri("https://b.example.com/x")],
            ExtraParameters = [new("tenant", "blue & green"), new("tenant", "red")],
        };

        await Send(request);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(sent.Uri, Is.EqualTo(TokenUrl));
            Assert.That(sent.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(sent.Header("Accept"), Is.EqualTo("application/json"));
            Assert.That(sent.FormValues("grant_type"), Is.EqualTo(new List<string> { "client_credentials" }));
            Assert.That(sent.FormValues("scope"), Is.EqualTo(new List<string> { "studio:script studio:read" }));
            Assert.That(sent.FormValues("audience"), Is.EqualTo(new List<string> { "https://api.studio.example.com" }));
            Assert.That(sent.FormValues("resource"), Is.EqualTo(new List<string> { "https://a.example.com/", "https://b.example.com/x" }));
            Assert.That(sent.FormValues("tenant"), Is.EqualTo(new List<string> { "blue & green", "red" }));
            Assert.That(sent.Body, Does.Not.Contain(" "), "the form is encoded, spaces included");
        });
    }

    [Test]
    public async Task Sends_no_scope_or_audience_when_none_is_set()
    {
        _handler.ThenToken();

        await Send();

        Assert.That(_handler.Requests.Single().Form().Select(p => p.Key), Is.EqualTo(new List<string> { "grant_type" }));
    }

    [Test]
    public async Task Returns_the_parsed_token_with_RefreshOn_near_half_its_lifetime()
    {
        _handler.ThenToken("tok-abc", 3600);

        var response = await Send();

        var token = response.Token;
        Assert.Multiple(() =>
        {
            Assert.That(token.Value.Reveal(), Is.EqualTo("tok-abc"));
            Assert.That(token.IssuedAt, Is.EqualTo(TestTokens.Start));
            Assert.That(token.ExpiresOn, Is.EqualTo(TestTokens.Start.AddHours(1)));
            Assert.That(token.RefreshOn, Is.InRange(TestTokens.Start.AddSeconds(3600 * 0.45), TestTokens.Start.AddSeconds(3600 * 0.55)));
        });
    }

    [TestCase("900", 900)]
    [TestCase("\"600\"", 600)]
    public async Task A_refresh_in_sooner_than_the_policy_sets_RefreshOn(string refreshIn, int seconds)
    {
        _handler.ThenJson(HttpStatusCode.OK, $$"""{"access_token":"t","token_type":"Bearer","expires_in":3600,"refresh_in":{{refreshIn}}}""");

        var response = await Client(new FixedRandom(0.5)).RequestAsync(Request(), CancellationToken.None);

        Assert.That(response.Token.RefreshOn, Is.EqualTo(TestTokens.Start.AddSeconds(seconds)));
    }

    [TestCase("2700")]
    [TestCase("3600")]
    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("\"soon\"")]
    [TestCase("null")]
    public async Task A_refresh_in_later_than_the_policy_or_outside_the_lifetime_leaves_the_policys_RefreshOn(string refreshIn)
    {
        _handler.ThenJson(HttpStatusCode.OK, $$"""{"access_token":"t","token_type":"Bearer","expires_in":3600,"refresh_in":{{refreshIn}}}""");

        var response = await Client(new FixedRandom(0.5)).RequestAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.RefreshOn, Is.EqualTo(TestTokens.Start.AddSeconds(1800)));
            Assert.That(response.Warnings, Is.Empty, "refresh_in is a hint, not part of RFC 6749");
        });
    }

    [TestCase(0.0, 0.45)]
    [TestCase(0.5, 0.5)]
    [TestCase(0.999999, 0.55)]
    public async Task Spreads_RefreshOn_by_the_jitter_of_the_default_policy(double sample, double fraction)
    {
        _handler.ThenToken("t", 1000);

        var response = await Client(new FixedRandom(sample)).RequestAsync(Request(), CancellationToken.None);

        Assert.That(response.Token.RefreshOn, Is.EqualTo(TestTokens.Start.AddSeconds(1000 * fraction)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void Does_not_follow_a_redirect()
    {
        _handler.Then(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri("https://elsewhere.example.com/token");
            return response;
        });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("redirect"));
            Assert.That(_handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Creates_an_HttpClient_without_a_client_side_timeout()
    {
        using var client = TokenClient.CreateHttpClient();

        Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [Test]
    public void Refuses_a_body_over_1_MiB_announced_by_Content_Length()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[TokenResponseParser.MaxBodyBytes + 1]) });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("over 1 MiB"));
        });
    }

    [Test]
    public void Refuses_a_body_over_1_MiB_sent_without_Content_Length()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnsizedContent(new byte[TokenResponseParser.MaxBodyBytes + 1]) });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("over 1 MiB"));
        });
    }

    [Test]
    public async Task Accepts_a_body_of_exactly_1_MiB_sent_without_Content_Length()
    {
        var json = """{"access_token":"t","token_type":"Bearer","expires_in":60}""";
        var body = Encoding.UTF8.GetBytes(json.PadRight(TokenResponseParser.MaxBodyBytes));
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnsizedContent(body) });

        var response = await Send();

        Assert.That(response.Token.Value.Reveal(), Is.EqualTo("t"));
    }

    [Test]
    public void Refuses_a_body_that_is_not_UTF_8()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([0x7B, 0xFF, 0xFE, 0x7D]) });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("not UTF-8"));
        });
    }

    [Test]
    public void Gives_up_as_transient_when_the_endpoint_does_not_answer_within_the_request_timeout()
    {
        _handler.ThenNeverAnswer();
        var pending = Send(Request() with { RequestTimeout = TimeSpan.FromSeconds(10) });

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.That(pending.IsCompleted, Is.False, "the timeout is measured on the injected clock");
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var ex = Assert.ThrowsAsync<TokenRequestException>(async () => await pending)!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Is.EqualTo("token endpoint did not answer within 10 s"));
        });
    }

    [Test]
    public void Reports_a_connection_failure_as_transient_without_the_inner_exception()
    {
        _handler.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (studio.example.com:443)", new SocketException((int)SocketError.ConnectionRefused)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Is.EqualTo("could not reach the token endpoint at https://studio.example.com: ConnectionRefused"));
            Assert.That(ex.InnerException, Is.Null);
        });
    }

    [Test]
    public void Lets_the_callers_cancellation_through_as_OperationCanceledException()
    {
        _handler.ThenNeverAnswer();
        using var cancellation = new CancellationTokenSource();
        var pending = Send(cancellationToken: cancellation.Token);

        cancellation.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await pending);
    }

    [Test]
    public void Refuses_http_to_a_host_that_is_not_loopback_before_sending_anything()
    {
        var ex = Assert.ThrowsAsync<TokenConfigurationException>(() => Send(Request(new Uri("http://studio.example.com/api/v2/oauth/token"))))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("token-url"));
            Assert.That(ex.Message, Does.StartWith("token-url: ").And.Contain("https://"));
            Assert.That(_handler.Requests, Is.Empty);
        });
    }

    [TestCase("http://studio.example.com/token", true)]
    [TestCase("http://127.0.0.1:8080/token", false)]
    [TestCase("http://localhost:8080/token", false)]
    [TestCase("http://[::1]:8080/token", false)]
    public async Task Allows_http_to_loopback_or_when_insecure_http_is_allowed(string url, bool allowInsecureHttp)
    {
        _handler.ThenToken();

        await Send(Request(new Uri(url)) with { AllowInsecureHttp = allowInsecureHttp });

        Assert.That(_handler.Requests.Single().Uri, Is.EqualTo(new Uri(url)));
    }

    [Test]
    public void Carries_Retry_After_given_in_seconds()
    {
        _handler.ThenJson(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
        });
    }

    [Test]
    public void Carries_Retry_After_given_as_an_HTTP_date_relative_to_the_injected_clock()
    {
        _handler.ThenJson(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TestTokens.Start.AddMinutes(3)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(3)));
    }

    [Test]
    public void Treats_a_Retry_After_date_in_the_past_as_no_wait()
    {
        _handler.ThenJson(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TestTokens.Start.AddMinutes(-3)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Reports_an_OAuth_error_from_the_wire_as_rejected()
    {
        _handler.ThenJson(HttpStatusCode.BadRequest, """{"error":"invalid_client","error_description":"unknown client"}""");

        var ex = Assert.ThrowsAsync<OAuthErrorException>(() => Send())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.Error, Is.EqualTo("invalid_client"));
            Assert.That(ex.Message, Does.Not.Contain(ClientSecretValue));
        });
    }

    [Test]
    public void Reports_an_expires_in_beyond_64_bits_as_a_bad_response_and_not_a_crash()
    {
        _handler.ThenJson(HttpStatusCode.OK, """{"access_token":"t","token_type":"Bearer","expires_in":123456789012345678901234567890}""");

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Send())!;

        Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
    }

    [Test]
    public void FormEncode_encodes_as_application_x_www_form_urlencoded()
    {
        Assert.That(TokenClient.FormEncode("a b:c+d%e/Ω"), Is.EqualTo("a+b%3Ac%2Bd%25e%2F%CE%A9"));
    }

    /// <summary>Content that cannot say its length, like a chunked response.</summary>
    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new MemoryStream(body, writable: false));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Test]
    public void Redacts_a_client_secret_that_the_server_echoes_in_its_error()
    {
        _handler.ThenJson(HttpStatusCode.BadRequest, $$"""{"error":"invalid_client","error_description":"secret {{ClientSecretValue}} is wrong"}""");

        var failure = Assert.ThrowsAsync<OAuthErrorException>(() => Send());

        Assert.That(failure!.Message, Does.Not.Contain(ClientSecretValue).And.Contain("secret *** is wrong"));
        Assert.That(failure.ErrorDescription, Does.Not.Contain(ClientSecretValue));
        Assert.That(failure.Error, Is.EqualTo("invalid_client"));
    }
}
