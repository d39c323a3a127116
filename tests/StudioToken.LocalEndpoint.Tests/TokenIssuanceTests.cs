using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Tests;

[CancelAfter(30_000)]
public sealed class TokenIssuanceTests
{
    private static readonly DateTimeOffset PinnedNow = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private HttpClient _client = null!;

    [SetUp]
    public void CreateClient() => _client = TokenRequests.CreateClient();

    [TearDown]
    public void DisposeClient()
    {
        _client.Dispose();
        UnobservedTaskExceptionGuard.AssertNoneSoFar();
    }

    [Test]
    public async Task Issues_a_bearer_token_to_a_client_using_client_secret_basic()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(body.Value<string>("token_type"), Is.EqualTo("Bearer"));
            Assert.That(body.Value<long>("expires_in"), Is.EqualTo(3600));
            Assert.That(body.Value<string>("scope"), Is.EqualTo("studio:script"));
            Assert.That(body.Value<string>("access_token"), Does.Match(@"^[\w-]+\.[\w-]+\.[\w-]+$"));
            Assert.That(endpoint.TokensIssued, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Issues_a_token_to_a_client_using_client_secret_post()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Post(endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation)).Value<string>("access_token"), Is.Not.Empty);
    }

    [Test]
    public async Task Grants_only_the_requested_scopes_and_all_allowed_ones_when_none_are_requested()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions
        {
            ClientSecret = TokenRequests.Secret,
            AllowedScopes = new HashSet<string> { "studio:script", "studio:read" },
        });

        using var narrow = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret, "studio:read"), Cancellation);
        using var all = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);

        Assert.That(JObject.Parse(await narrow.Content.ReadAsStringAsync(Cancellation)).Value<string>("scope"), Is.EqualTo("studio:read"));
        Assert.That(JObject.Parse(await all.Content.ReadAsStringAsync(Cancellation)).Value<string>("scope"), Is.EqualTo("studio:read studio:script"));
    }

    [Test]
    public async Task Signs_an_ES256_JWT_that_verifies_with_the_published_key_and_carries_the_expected_claims()
    {
        var clock = new FakeTimeProvider(PinnedNow);
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions
        {
            ClientSecret = TokenRequests.Secret,
            TokenLifetime = TimeSpan.FromSeconds(90),
            TimeProvider = clock,
        });

        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var parts = body.Value<string>("access_token")!.Split('.');
        var header = DecodeJson(parts[0]);
        var claims = DecodeJson(parts[1]);
        var jwk = JObject.Parse(endpoint.PublicKeyJwk);
        using var publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.Value<string>("x")), Y = Base64Url.DecodeFromChars(jwk.Value<string>("y")) },
        });
        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var issuedAt = PinnedNow.ToUnixTimeSeconds();

        Assert.Multiple(() =>
        {
            Assert.That(publicKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256), Is.True);
            Assert.That(header.Value<string>("alg"), Is.EqualTo("ES256"));
            Assert.That(header.Value<string>("typ"), Is.EqualTo("at+jwt"));
            Assert.That(header.Value<string>("kid"), Is.EqualTo(jwk.Value<string>("kid")).And.Not.Empty);
            Assert.That(claims.Value<string>("iss"), Is.EqualTo(endpoint.TokenUrl.GetLeftPart(UriPartial.Authority)));
            Assert.That(claims.Value<string>("sub"), Is.EqualTo("demo-client"));
            Assert.That(claims.Value<string>("client_id"), Is.EqualTo("demo-client"));
            Assert.That(claims.Value<string>("aud"), Is.EqualTo("studio"));
            Assert.That(claims.Value<string>("scope"), Is.EqualTo("studio:script"));
            Assert.That(claims.Value<long>("iat"), Is.EqualTo(issuedAt));
            Assert.That(claims.Value<long>("nbf"), Is.EqualTo(issuedAt));
            Assert.That(claims.Value<long>("exp"), Is.EqualTo(issuedAt + 90));
            Assert.That(claims.Value<string>("jti"), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(body.Value<long>("expires_in"), Is.EqualTo(90));
        });
    }

    [Test]
    public async Task Takes_iat_from_the_injected_clock_for_every_token()
    {
        var clock = new FakeTimeProvider(PinnedNow);
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret, TimeProvider = clock });

        var first = await IssuedAtAsync(endpoint);
        clock.Advance(TimeSpan.FromMinutes(30));
        var second = await IssuedAtAsync(endpoint);

        Assert.That(second - first, Is.EqualTo(1800));
    }

    [Test]
    public async Task Rejects_a_grant_type_other_than_client_credentials()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(
            TokenRequests.Form(endpoint.TokenUrl, [new("grant_type", "password"), new("client_id", "demo-client"), new("client_secret", TokenRequests.Secret)]),
            Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorCodeAsync(response), Is.EqualTo("unsupported_grant_type"));
        Assert.That(endpoint.TokensIssued, Is.Zero);
    }

    [Test]
    public async Task Rejects_an_unknown_scope_with_invalid_scope()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret, "studio:script studio:admin"), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorCodeAsync(response), Is.EqualTo("invalid_scope"));
        Assert.That(endpoint.TokensIssued, Is.Zero);
    }

    private static CancellationToken Cancellation => TestContext.CurrentContext.CancellationToken;

    private static JObject DecodeJson(string base64Url) => JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(base64Url)));

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation)).Value<string>("error");

    private async Task<long> IssuedAtAsync(LocalTokenEndpoint endpoint)
    {
        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret), Cancellation);
        var token = JObject.Parse(await response.Content.ReadAsStringAsync(Cancellation)).Value<string>("access_token")!;
        return DecodeJson(token.Split('.')[1]).Value<long>("iat");
    }
}
