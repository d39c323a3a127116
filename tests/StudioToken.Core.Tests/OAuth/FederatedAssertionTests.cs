using System.Net;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.OAuth;

/// <summary>github_oidc and azure_oidc as the server sees them: a CI platform's ID token, new for every request, as the client assertion or the token-exchange subject.</summary>
[TestFixture]
public sealed class FederatedAssertionTests
{
    private const string ClientId = "deploy-bot";
    private static readonly Uri TokenUrl = new("https://id.example.com/oauth2/token");

    private FakeTimeProvider _time = null!;
    private ScriptedHttpHandler _handler = null!;
    private HttpClient _httpClient = null!;
    private Mock<IClientAssertionSource> _source = null!;
    private int _minted;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(TestTokens.Start);
        _handler = new ScriptedHttpHandler();
        _httpClient = TokenClient.CreateHttpClient(_handler);
        _minted = 0;
        _source = new Mock<IClientAssertionSource>(MockBehavior.Strict);
        _source.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new Secret($"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig{++_minted}"));
    }

    [TearDown]
    public void TearDown()
    {
        _httpClient.Dispose();
        _handler.Dispose();
    }

    private TokenRequest Request(ClientAuthMethod method = ClientAuthMethod.GitHubOidc, TokenGrant grant = TokenGrant.ClientCredentials) => new()
    {
        TokenUrl = TokenUrl,
        ClientId = ClientId,
        AuthMethod = method,
        AssertionSource = _source.Object,
        Grant = grant,
        Scope = "studio:script",
    };

    private TokenClient Client() => new(_httpClient, _time, new RefreshPolicy(), new FixedRandom(0.5));

    [TestCase(ClientAuthMethod.GitHubOidc)]
    [TestCase(ClientAuthMethod.AzureOidc)]
    public async Task Sends_the_ID_token_as_a_jwt_bearer_client_assertion(ClientAuthMethod method)
    {
        _handler.ThenToken();

        await Client().RequestAsync(Request(method), CancellationToken.None);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.FormValues("grant_type"), Is.EqualTo(new[] { "client_credentials" }));
            Assert.That(sent.FormValues("client_id"), Is.EqualTo(new[] { ClientId }));
            Assert.That(sent.FormValues("client_assertion_type"), Is.EqualTo(new[] { "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" }));
            Assert.That(sent.FormValues("client_assertion"), Is.EqualTo(new[] { "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig1" }));
            Assert.That(sent.FormValues("client_secret"), Is.Empty);
            Assert.That(sent.Header("Authorization"), Is.Null);
        });
    }

    [Test]
    public async Task Asks_for_a_new_ID_token_for_every_request()
    {
        _handler.ThenToken().ThenToken();
        var client = Client();

        await client.RequestAsync(Request(), CancellationToken.None);
        await client.RequestAsync(Request(), CancellationToken.None);

        Assert.That(_handler.Requests.Select(r => r.FormValues("client_assertion").Single()), Is.EqualTo(new[]
        {
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig1",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig2",
        }));
    }

    [Test]
    public async Task A_token_exchange_sends_the_ID_token_as_the_subject_and_no_assertion()
    {
        _handler.ThenToken();

        await Client().RequestAsync(Request(grant: TokenGrant.TokenExchange) with { SubjectTokenType = "urn:ietf:params:oauth:token-type:id_token" }, CancellationToken.None);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.FormValues("grant_type"), Is.EqualTo(new[] { "urn:ietf:params:oauth:grant-type:token-exchange" }));
            Assert.That(sent.FormValues("subject_token"), Is.EqualTo(new[] { "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig1" }));
            Assert.That(sent.FormValues("subject_token_type"), Is.EqualTo(new[] { "urn:ietf:params:oauth:token-type:id_token" }));
            Assert.That(sent.FormValues("client_id"), Is.EqualTo(new[] { ClientId }));
            Assert.That(sent.FormValues("client_assertion"), Is.Empty);
            Assert.That(sent.FormValues("scope"), Is.EqualTo(new[] { "studio:script" }));
        });
    }

    [Test]
    public void An_ID_token_the_server_echoes_in_its_error_is_redacted_and_the_hint_names_the_federation_trust()
    {
        _handler.ThenJson(HttpStatusCode.BadRequest, """{"error":"invalid_client","error_description":"assertion eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig1 has an unknown issuer"}""");

        var error = Assert.ThrowsAsync<OAuthErrorException>(() => Client().RequestAsync(Request(), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Not.Contain("eyJzdWIiOiJyZXBvIn0"));
            Assert.That(error.Message, Does.Contain("trusts the CI platform's issuer"));
            Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.Rejected));
        });
    }

    [Test]
    public void A_failure_to_get_the_ID_token_sends_nothing_to_the_token_endpoint()
    {
        _source.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenRequestException(TokenFailureKind.Rejected, "GitHub's ID token endpoint answered 403 Forbidden"));

        var error = Assert.ThrowsAsync<TokenRequestException>(() => Client().RequestAsync(Request(), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("403"));
            Assert.That(_handler.Requests, Is.Empty);
        });
    }

    [Test]
    public void An_ID_token_with_characters_a_token_cannot_hold_is_refused_before_it_is_sent()
    {
        _source.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new Secret("a.b\r\nc"));

        var error = Assert.ThrowsAsync<TokenRequestException>(() => Client().RequestAsync(Request(), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(_handler.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Revocation_is_authenticated_with_a_new_ID_token()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await new RevocationClient(_httpClient, _time).RevokeAsync(new Uri("https://id.example.com/oauth2/revoke"), Request(), new Secret("tok-1"), CancellationToken.None);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.FormValues("client_assertion"), Is.EqualTo(new[] { "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.sig1" }));
            Assert.That(sent.FormValues("token"), Is.EqualTo(new[] { "tok-1" }));
        });
    }

    [Test]
    public async Task A_token_exchange_client_revokes_with_its_client_id_alone_and_asks_for_no_ID_token()
    {
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await new RevocationClient(_httpClient, _time).RevokeAsync(new Uri("https://id.example.com/oauth2/revoke"), Request(grant: TokenGrant.TokenExchange), new Secret("tok-1"), CancellationToken.None);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.FormValues("client_id"), Is.EqualTo(new[] { ClientId }));
            Assert.That(sent.FormValues("token"), Is.EqualTo(new[] { "tok-1" }));
            Assert.That(sent.FormValues("client_assertion"), Is.Empty);
            Assert.That(sent.FormValues("subject_token"), Is.Empty);
            Assert.That(_minted, Is.Zero, "an ID token the request would not carry");
        });
    }

    [Test]
    public void A_federated_method_without_a_source_is_a_configuration_error()
    {
        var request = Request() with { AssertionSource = null };

        Assert.That(request.Problems().Select(p => p.Message), Has.Some.Contains("github_oidc needs the CI platform's ID token"));
    }

    [Test]
    public void A_token_exchange_with_a_client_secret_is_a_configuration_error()
    {
        var request = new TokenRequest { TokenUrl = TokenUrl, ClientId = ClientId, ClientSecret = new Secret("s"), Grant = TokenGrant.TokenExchange };

        Assert.That(request.Problems().Select(p => p.Message), Has.Some.Contains("use it with client-auth github_oidc or azure_oidc"));
    }

    [Test]
    public void Discovery_takes_private_key_jwt_in_the_metadata_to_mean_a_federated_assertion_is_accepted()
    {
        var issuer = new Uri("https://id.example.com/");

        Assert.Multiple(() =>
        {
            Assert.That(ClientAuthMethodChoice.Choose(["private_key_jwt"], ClientAuthMethod.GitHubOidc, [], issuer), Is.EqualTo(ClientAuthMethod.GitHubOidc));
            Assert.That(
                () => ClientAuthMethodChoice.Choose(["client_secret_basic"], ClientAuthMethod.AzureOidc, [], issuer),
                Throws.TypeOf<TokenConfigurationException>().With.Message.Contains("does not list private_key_jwt"));
        });
    }
}
