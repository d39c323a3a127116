using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class RevocationClientTests
{
    private const string ClientSecretValue = "s3cr:t +%Ω-revoke";
    private const string TokenValue = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln+/=";
    private static readonly Uri RevocationUrl = new("https://studio.example.com/api/v2/oauth/revoke");

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

    private static TokenRequest Client(ClientAuthMethod auth = ClientAuthMethod.ClientSecretBasic) => new()
    {
        TokenUrl = new Uri("https://studio.example.com/api/v2/oauth/token"),
        ClientId = "ci client",
        ClientSecret = new Secret(ClientSecretValue),
        AuthMethod = auth,
    };

    private Task Revoke(TokenRequest? client = null, CancellationToken cancellationToken = default) =>
        new RevocationClient(_httpClient, _time).RevokeAsync(RevocationUrl, client ?? Client(), new Secret(TokenValue), cancellationToken);

    private static void AssertHoldsNoSecret(Exception ex) =>
        Assert.That(ex.ToString(), Does.Not.Contain(ClientSecretValue).And.Not.Contain(TokenValue).And.Not.Contain("s3cr"));

    [Test]
    public async Task Posts_the_token_with_an_access_token_hint_to_the_revocation_url()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await Revoke();

        var request = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(request.Uri, Is.EqualTo(RevocationUrl));
            Assert.That(request.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(request.FormValues("token"), Is.EqualTo(new[] { TokenValue }));
            Assert.That(request.FormValues("token_type_hint"), Is.EqualTo(new[] { "access_token" }));
        });
    }

    [Test]
    public async Task Authenticates_with_client_secret_basic_as_base64_of_the_form_encoded_id_and_secret()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await Revoke(Client(ClientAuthMethod.ClientSecretBasic));

        var request = _handler.Requests.Single();
        var authorization = AuthenticationHeaderValue.Parse(request.Header("Authorization")!);
        var halves = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter!)).Split(':');
        Assert.Multiple(() =>
        {
            Assert.That(authorization.Scheme, Is.EqualTo("Basic"));
            Assert.That(halves, Has.Length.EqualTo(2), "the ':' inside the secret must be encoded so the pair splits in two");
            Assert.That(halves[0], Is.EqualTo("ci+client"));
            Assert.That(WebUtility.UrlDecode(halves[1]), Is.EqualTo(ClientSecretValue));
            Assert.That(request.FormValues("client_id"), Is.Empty);
            Assert.That(request.FormValues("client_secret"), Is.Empty);
            Assert.That(request.Form().Select(p => p.Key), Is.EquivalentTo(new[] { "token", "token_type_hint" }));
        });
    }

    [Test]
    public async Task Authenticates_with_client_secret_post_in_the_form_and_no_Authorization_header()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await Revoke(Client(ClientAuthMethod.ClientSecretPost));

        var request = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("Authorization"), Is.Null);
            Assert.That(request.FormValues("client_id"), Is.EqualTo(new[] { "ci client" }));
            Assert.That(request.FormValues("client_secret"), Is.EqualTo(new[] { ClientSecretValue }));
            Assert.That(request.FormValues("token"), Is.EqualTo(new[] { TokenValue }));
            Assert.That(request.FormValues("token_type_hint"), Is.EqualTo(new[] { "access_token" }));
        });
    }

    [TestCase(HttpStatusCode.OK)]
    [TestCase(HttpStatusCode.NoContent)]
    public void Succeeds_on_a_success_status(HttpStatusCode status)
    {
        _handler.Then(() => new HttpResponseMessage(status));

        Assert.Multiple(() =>
        {
            Assert.That(() => Revoke(), Throws.Nothing);
            Assert.That(_handler.Remaining, Is.Zero);
        });
    }

    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    public void An_overloaded_or_failing_server_is_transient(HttpStatusCode status)
    {
        _handler.ThenJson(status, $$"""{"error":"temporarily_unavailable","error_description":"{{ClientSecretValue}} {{TokenValue}}"}""");

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Revoke())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.StatusCode, Is.EqualTo(status));
            Assert.That(ex.Message, Does.Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(_handler.Requests, Has.Count.EqualTo(1), "retrying is the caller's decision");
            AssertHoldsNoSecret(ex);
        });
    }

    [Test]
    public void A_503_carries_the_servers_Retry_After()
    {
        _handler.Then(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Revoke())!;

        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    public void A_client_error_is_rejected(HttpStatusCode status)
    {
        _handler.ThenJson(status, $$"""{"error":"invalid_client","error_description":"bad secret {{ClientSecretValue}} for {{TokenValue}}"}""");

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Revoke())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.StatusCode, Is.EqualTo(status));
            AssertHoldsNoSecret(ex);
        });
    }

    [Test]
    public void Gives_up_as_transient_when_the_endpoint_does_not_answer_within_the_request_timeout()
    {
        _handler.ThenNeverAnswer();
        var pending = Revoke(Client() with { RequestTimeout = TimeSpan.FromSeconds(10) });

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.That(pending.IsCompleted, Is.False, "the timeout is measured on the injected clock");
        _time.Advance(TimeSpan.FromSeconds(0.2));

        var ex = Assert.ThrowsAsync<TokenRequestException>(async () => await pending)!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Does.Contain("did not answer in time"));
            AssertHoldsNoSecret(ex);
        });
    }

    [Test]
    public void Without_a_request_timeout_still_gives_up_after_30_seconds()
    {
        _handler.ThenNeverAnswer();
        var pending = Revoke(Client() with { RequestTimeout = Timeout.InfiniteTimeSpan });

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(pending.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromSeconds(2));

        var ex = Assert.ThrowsAsync<TokenRequestException>(async () => await pending)!;
        Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
    }

    [Test]
    public void A_connection_failure_is_transient_and_names_only_the_host()
    {
        _handler.ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, $"refused {ClientSecretValue}", new SocketException((int)SocketError.ConnectionRefused)));

        var ex = Assert.ThrowsAsync<TokenRequestException>(() => Revoke())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Message, Does.Contain("https://studio.example.com").And.Not.Contain("/revoke"));
            AssertHoldsNoSecret(ex);
        });
    }

    [Test]
    public void Lets_the_callers_cancellation_through_as_OperationCanceledException()
    {
        _handler.ThenNeverAnswer();
        using var cancellation = new CancellationTokenSource();
        var pending = Revoke(cancellationToken: cancellation.Token);

        cancellation.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await pending);
    }
}
