using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.OAuth;

/// <summary>private_key_jwt as the server sees it: the form, and the assertion taken apart and checked with the public key.</summary>
[TestFixture]
public sealed class PrivateKeyJwtTests
{
    private const string ClientId = "deploy-bot";
    private static readonly Uri TokenUrl = new("https://id.example.com/oauth2/v2.0/token");
    private static readonly Uri RevocationUrl = new("https://id.example.com/oauth2/v2.0/revoke");

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

    private static TokenRequest Request(AsymmetricAlgorithm? key = null, Func<ClientAssertionKey, ClientAssertionKey>? configure = null)
    {
        var assertionKey = new ClientAssertionKey(TestKeys.Pem(key ?? TestKeys.P256));
        return new TokenRequest
        {
            TokenUrl = TokenUrl,
            ClientId = ClientId,
            AuthMethod = ClientAuthMethod.PrivateKeyJwt,
            ClientAssertionKey = configure is null ? assertionKey : configure(assertionKey),
        };
    }

    private TokenClient Client() => new(_httpClient, _time, new RefreshPolicy(), new FixedRandom(0.5));

    private async Task<SignedJwt> SendAsync(TokenRequest request)
    {
        _handler.ThenToken();
        await Client().RequestAsync(request, CancellationToken.None);
        return SignedJwt.Parse(_handler.Requests[^1].FormValues("client_assertion").Single());
    }

    [Test]
    public async Task Sends_client_id_and_a_jwt_bearer_assertion_and_no_secret_in_any_form()
    {
        _handler.ThenToken();

        await Client().RequestAsync(Request() with { ClientSecret = new Secret("unused-secret") }, CancellationToken.None);

        var sent = _handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.FormValues("client_assertion_type"), Is.EqualTo(new[] { "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" }));
            Assert.That(sent.FormValues("client_assertion"), Has.Count.EqualTo(1));
            Assert.That(sent.FormValues("client_id"), Is.EqualTo(new[] { ClientId }));
            Assert.That(sent.FormValues("client_secret"), Is.Empty);
            Assert.That(sent.Header("Authorization"), Is.Null);
            Assert.That(sent.Body, Does.Not.Contain("unused-secret"));
            Assert.That(sent.FormValues("grant_type"), Is.EqualTo(new[] { "client_credentials" }));
        });
    }

    [Test]
    public async Task An_RSA_key_signs_RS256_with_the_claims_RFC_7523_asks_for()
    {
        var jwt = await SendAsync(Request(TestKeys.Rsa));

        Assert.Multiple(() =>
        {
            Assert.That(jwt.IsSignedBy(TestKeys.Rsa), Is.True, "the signature verifies with the public key");
            Assert.That(jwt.Header.Properties().Select(p => p.Name), Is.EqualTo(new[] { "alg", "typ" }), "no kid unless one is set");
            Assert.That(jwt.HeaderText("alg"), Is.EqualTo("RS256"));
            Assert.That(jwt.HeaderText("typ"), Is.EqualTo("JWT"));
            Assert.That(jwt.ClaimText("iss"), Is.EqualTo(ClientId));
            Assert.That(jwt.ClaimText("sub"), Is.EqualTo(ClientId));
            Assert.That(jwt.ClaimText("aud"), Is.EqualTo(TokenUrl.AbsoluteUri), "the token endpoint URL by default");
            Assert.That(jwt.Claim("iat"), Is.EqualTo(TestTokens.Start.ToUnixTimeSeconds()));
            Assert.That(jwt.Claim("nbf"), Is.EqualTo(jwt.Claim("iat")));
            Assert.That(jwt.Claim("exp") - jwt.Claim("iat"), Is.EqualTo(60));
        });
    }

    [TestCase("P-256", "ES256")]
    [TestCase("P-384", "ES384")]
    [TestCase("P-521", "ES512")]
    public async Task An_EC_key_signs_with_the_algorithm_of_its_curve(string curve, string algorithm)
    {
        var key = TestKeys.Ec(curve);

        var jwt = await SendAsync(Request(key));

        Assert.Multiple(() =>
        {
            Assert.That(jwt.HeaderText("alg"), Is.EqualTo(algorithm));
            Assert.That(jwt.IsSignedBy(key), Is.True, "the signature verifies with the public key");
            Assert.That(jwt.IsSignedBy(TestKeys.Ec(curve == "P-256" ? "P-384" : "P-256")), Is.False, "and with no other key");
        });
    }

    [Test]
    public async Task Reads_the_traditional_RSA_and_EC_PEM_formats_too()
    {
        var rsa = await SendAsync(Request() with { ClientAssertionKey = new ClientAssertionKey(new Secret(TestKeys.Rsa.ExportRSAPrivateKeyPem())) });
        var ec = await SendAsync(Request() with { ClientAssertionKey = new ClientAssertionKey(new Secret(TestKeys.P384.ExportECPrivateKeyPem())) });

        Assert.Multiple(() =>
        {
            Assert.That(rsa.IsSignedBy(TestKeys.Rsa), Is.True);
            Assert.That(ec.IsSignedBy(TestKeys.P384), Is.True);
        });
    }

    [Test]
    public async Task Takes_the_key_from_a_bundle_that_starts_with_its_certificate()
    {
        var bundle = TestKeys.RsaCertificatePem() + "\n" + TestKeys.Rsa.ExportPkcs8PrivateKeyPem();

        var jwt = await SendAsync(Request() with { ClientAssertionKey = new ClientAssertionKey(new Secret(bundle)) });

        Assert.That(jwt.IsSignedBy(TestKeys.Rsa), Is.True);
    }

    [Test]
    public async Task Each_request_retries_included_signs_a_new_assertion_with_a_new_jti_at_the_current_time()
    {
        var request = Request();

        var first = await SendAsync(request);
        _time.Advance(TimeSpan.FromSeconds(1.7));
        var retry = await SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(retry.ClaimText("jti"), Is.Not.EqualTo(first.ClaimText("jti")));
            Assert.That(retry.Claim("iat") - first.Claim("iat"), Is.EqualTo(1), "iat is whole seconds, rounded down");
            Assert.That(retry.Claim("exp") - retry.Claim("iat"), Is.EqualTo(60));
        });
    }

    [Test]
    public async Task A_jti_carries_128_random_bits()
    {
        var jtis = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            jtis.Add((await SendAsync(Request())).ClaimText("jti")!);
        }

        Assert.Multiple(() =>
        {
            Assert.That(jtis, Has.Count.EqualTo(20));
            Assert.That(jtis.Select(jti => System.Buffers.Text.Base64Url.DecodeFromChars(jti).Length), Has.All.EqualTo(16));
        });
    }

    [Test]
    public async Task The_acquirer_s_retry_after_a_503_sends_a_fresh_assertion()
    {
        _handler.ThenJson(HttpStatusCode.ServiceUnavailable, """{"error":"temporarily_unavailable"}""").ThenToken();
        var source = new ClientCredentialsTokenSource(Client(), Request());
        var log = new Moq.Mock<ITokenLog>();
        var acquiring = new TokenAcquirer(source, new RetryPolicy(), _time, new FixedRandom(0.5), log.Object).AcquireAsync(CancellationToken.None);

        for (var step = 0; step < 100 && !acquiring.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await acquiring;
        var assertions = _handler.Requests.Select(r => SignedJwt.Parse(r.FormValues("client_assertion").Single())).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(assertions, Has.Count.EqualTo(2));
            Assert.That(assertions[1].ClaimText("jti"), Is.Not.EqualTo(assertions[0].ClaimText("jti")));
        });
    }

    [Test]
    public async Task Kid_audience_and_type_can_be_set_for_servers_that_want_them()
    {
        var jwt = await SendAsync(Request(configure: key => key with { KeyId = "key-2026", Audience = "https://id.example.com/", Type = "client-authentication+jwt" }));

        Assert.Multiple(() =>
        {
            Assert.That(jwt.Header.Properties().Select(p => p.Name), Is.EqualTo(new[] { "alg", "typ", "kid" }));
            Assert.That(jwt.HeaderText("kid"), Is.EqualTo("key-2026"));
            Assert.That(jwt.HeaderText("typ"), Is.EqualTo("client-authentication+jwt"));
            Assert.That(jwt.ClaimText("aud"), Is.EqualTo("https://id.example.com/"));
            Assert.That(jwt.IsSignedBy(TestKeys.P256), Is.True);
        });
    }

    [Test]
    public async Task A_revocation_request_carries_its_own_new_assertion_addressed_like_the_token_request()
    {
        var request = Request();
        var tokenAssertion = await SendAsync(request);
        _handler.Then(() => new HttpResponseMessage(HttpStatusCode.OK));

        await new RevocationClient(_httpClient, _time).RevokeAsync(RevocationUrl, request, new Secret("tok-1"), CancellationToken.None);

        var revocation = _handler.Requests[^1];
        var jwt = SignedJwt.Parse(revocation.FormValues("client_assertion").Single());
        Assert.Multiple(() =>
        {
            Assert.That(revocation.Uri, Is.EqualTo(RevocationUrl));
            Assert.That(revocation.FormValues("client_assertion_type"), Is.EqualTo(new[] { "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" }));
            Assert.That(revocation.FormValues("token"), Is.EqualTo(new[] { "tok-1" }));
            Assert.That(jwt.ClaimText("jti"), Is.Not.EqualTo(tokenAssertion.ClaimText("jti")));
            Assert.That(jwt.ClaimText("aud"), Is.EqualTo(TokenUrl.AbsoluteUri));
            Assert.That(jwt.IsSignedBy(TestKeys.P256), Is.True);
        });
    }

    [Test]
    public void A_server_that_echoes_the_assertion_in_its_error_gets_it_redacted()
    {
        _handler.Then(async (message, cancellationToken) =>
        {
            var body = await message.Content!.ReadAsStringAsync(cancellationToken);
            var assertion = body.Split('&').Single(p => p.StartsWith("client_assertion=", StringComparison.Ordinal))["client_assertion=".Length..];
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent($$"""{"error":"invalid_client","error_description":"bad assertion {{assertion}}"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            return response;
        });

        var ex = Assert.ThrowsAsync<OAuthErrorException>(() => Client().RequestAsync(Request(), CancellationToken.None))!;

        var sent = _handler.Requests.Single().FormValues("client_assertion").Single();
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Not.Contain(sent));
            Assert.That(ex.Message, Does.Not.Contain(sent.Split('.')[2]), "not even the signature");
            Assert.That(ex.Message, Does.Contain("bad assertion ***"));
        });
    }

    [Test]
    public void A_refused_assertion_is_a_rejection_whose_hint_names_audience_and_type()
    {
        _handler.ThenJson(HttpStatusCode.Unauthorized, """{"error":"invalid_client","error_description":"The specified token is not of the expected type."}""");

        var ex = Assert.ThrowsAsync<OAuthErrorException>(() => Client().RequestAsync(Request(), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.Error, Is.EqualTo("invalid_client"));
            Assert.That(ex.Message, Does.Contain("assertion audience").And.Contain("client-authentication+jwt").And.Not.Contain("client secret"));
        });
    }

    [Test]
    public void A_key_that_cannot_sign_is_a_configuration_error_before_anything_is_sent()
    {
        var request = Request() with { ClientAssertionKey = new ClientAssertionKey(new Secret("not a key")) };

        var ex = Assert.ThrowsAsync<TokenConfigurationException>(() => Client().RequestAsync(request, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("private-key"));
            Assert.That(_handler.Requests, Is.Empty);
        });
    }
}
