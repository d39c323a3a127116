using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StudioToken.TestServer;

namespace StudioToken.TestServer.Tests;

// One server for the whole fixture: start-up costs seconds, a request milliseconds.
[TestFixture]
public sealed class OpenIddictTestServerTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3600);

    private OpenIddictTestServer _server = null!;
    private HttpClient _http = null!;
    private ECDsa _clientKey = null!;

    [OneTimeSetUp]
    public async Task Start_the_server()
    {
        _clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions
        {
            AccessTokenLifetime = Lifetime,
            Clients = [TestClient.DefaultBasic, TestClient.DefaultPost, TestClient.WithPublicKeys("key-client", _clientKey.ExportSubjectPublicKeyInfoPem())],
        });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task Stop_the_server()
    {
        _http.Dispose();
        _clientKey.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public void Urls_are_loopback_with_the_Studio_API_paths()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_server.BaseUrl.GetLeftPart(UriPartial.Authority), Does.StartWith("http://127.0.0.1:"));
            Assert.That(_server.BaseUrl.AbsolutePath, Is.EqualTo("/"));
            Assert.That(_server.TokenUrl.AbsolutePath, Is.EqualTo("/api/v2/oauth/token"));
            Assert.That(_server.IntrospectionUrl.AbsolutePath, Is.EqualTo("/api/v2/oauth/introspect"));
            Assert.That(_server.RevocationUrl.AbsolutePath, Is.EqualTo("/api/v2/oauth/revoke"));
            Assert.That(_server.Issuer, Is.EqualTo(_server.BaseUrl));
        }
    }

    [TestCase(false, TestName = "Basic_auth_with_the_non_ASCII_secret_form_encoded_with_percent_20_spaces_gets_a_token")]
    [TestCase(true, TestName = "Basic_auth_with_the_non_ASCII_secret_form_encoded_with_plus_spaces_gets_a_token")]
    public async Task Basic_auth_gets_a_token(bool spacesAsPlus)
    {
        using var request = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultBasic, TestScopes.Script, spacesAsPlus);

        var response = await OAuthResponse.SendAsync(_http, request);

        AssertIsBearerToken(response);
    }

    [Test]
    public async Task Post_auth_gets_a_token()
    {
        using var request = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultPost, TestScopes.Script);

        var response = await OAuthResponse.SendAsync(_http, request);

        AssertIsBearerToken(response);
    }

    [Test]
    public async Task The_access_token_is_a_readable_JWT_naming_the_client_and_the_granted_scope()
    {
        using var request = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultPost, TestScopes.Script);
        var response = await OAuthResponse.SendAsync(_http, request);

        var claims = JwtParts.Payload(response.String("access_token")!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo("post-client"));
            Assert.That(claims.GetProperty("scope").GetString(), Is.EqualTo(TestScopes.Script));
            var issuedFor = claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64();
            Assert.That(issuedFor, Is.EqualTo((long)Lifetime.TotalSeconds));
        }
    }

    [Test]
    public async Task A_wrong_secret_gets_401_invalid_client()
    {
        var impostor = TestClient.DefaultBasic with { ClientSecret = "not-the-secret" };
        using var request = OAuthRequests.Token(_server.TokenUrl, impostor, TestScopes.Script);

        var response = await OAuthResponse.SendAsync(_http, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(401));
            Assert.That(response.String("error"), Is.EqualTo("invalid_client"));
            Assert.That(response.WwwAuthenticate, Does.StartWith("Basic"));
        }
    }

    [Test]
    public async Task A_scope_the_client_is_not_allowed_gets_400_invalid_scope()
    {
        using var request = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultPost, TestScopes.Read);

        var response = await OAuthResponse.SendAsync(_http, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(400));
            Assert.That(response.String("error"), Is.EqualTo("invalid_scope"));
        }
    }

    [Test]
    public async Task A_revoked_token_introspects_as_inactive()
    {
        using var tokenRequest = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultBasic, TestScopes.Script);
        var token = (await OAuthResponse.SendAsync(_http, tokenRequest)).String("access_token")!;

        var before = await IntrospectAsync(token);
        using var revocation = OAuthRequests.AboutToken(_server.RevocationUrl, TestClient.DefaultBasic, token);
        var revoked = await OAuthResponse.SendAsync(_http, revocation);
        var after = await IntrospectAsync(token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Member("active")?.GetBoolean(), Is.True);
            Assert.That(revoked.Status, Is.EqualTo(200));
            Assert.That(after.Status, Is.EqualTo(200));
            Assert.That(after.Member("active")?.GetBoolean(), Is.False);
        }
    }

    [Test]
    public async Task TokenRequestCount_counts_every_token_request_including_rejected_ones()
    {
        var before = _server.TokenRequestCount;
        using var accepted = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultPost, TestScopes.Script);
        using var rejected = OAuthRequests.Token(_server.TokenUrl, TestClient.DefaultPost, TestScopes.Read);
        await OAuthResponse.SendAsync(_http, accepted);
        await OAuthResponse.SendAsync(_http, rejected);

        Assert.That(_server.TokenRequestCount - before, Is.EqualTo(2));
    }

    [Test]
    public async Task A_client_registered_with_a_public_key_gets_a_token_for_an_assertion_signed_with_it()
    {
        using var request = OAuthRequests.TokenWithAssertion(_server.TokenUrl, "key-client", _clientKey, _server.Issuer);

        var response = await OAuthResponse.SendAsync(_http, request);

        AssertIsBearerToken(response);
        Assert.That(JwtParts.Payload(response.String("access_token")!).GetProperty("sub").GetString(), Is.EqualTo("key-client"));
    }

    [Test]
    public async Task An_assertion_signed_with_another_key_gets_401_invalid_client()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var request = OAuthRequests.TokenWithAssertion(_server.TokenUrl, "key-client", otherKey, _server.Issuer);

        var response = await OAuthResponse.SendAsync(_http, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(401));
            Assert.That(response.String("error"), Is.EqualTo("invalid_client"));
        }
    }

    // OpenIddict 7's quirks, pinned: the client's defaults (typ JWT, aud = token URL) are what it refuses.
    [Test]
    public async Task An_assertion_typed_JWT_gets_401_invalid_client()
    {
        using var request = OAuthRequests.TokenWithAssertion(_server.TokenUrl, "key-client", _clientKey, _server.Issuer, type: "JWT");

        var response = await OAuthResponse.SendAsync(_http, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(401));
            Assert.That(response.String("error"), Is.EqualTo("invalid_client"));
        }
    }

    [Test]
    public async Task An_assertion_addressed_to_the_token_URL_gets_400_invalid_token()
    {
        using var request = OAuthRequests.TokenWithAssertion(_server.TokenUrl, "key-client", _clientKey, _server.TokenUrl);

        var response = await OAuthResponse.SendAsync(_http, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(400));
            Assert.That(response.String("error"), Is.EqualTo("invalid_token"));
        }
    }

    [Test]
    public void A_test_client_never_prints_its_secret()
    {
        Assert.That(TestClient.DefaultBasic.ToString(), Does.Not.Contain(TestClient.DefaultBasic.ClientSecret));
    }

    private static void AssertIsBearerToken(OAuthResponse response)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.String("access_token"), Is.Not.Null.And.Not.Empty);
            Assert.That(response.String("token_type"), Is.EqualTo("Bearer").IgnoreCase);
            // OpenIddict computes expires_in from the clock when it answers, so it is often one second short.
            Assert.That(response.Member("expires_in")?.GetInt32(), Is.InRange((int)Lifetime.TotalSeconds - 2, (int)Lifetime.TotalSeconds));
        }
    }

    private async Task<OAuthResponse> IntrospectAsync(string token)
    {
        using var request = OAuthRequests.AboutToken(_server.IntrospectionUrl, TestClient.DefaultBasic, token);
        return await OAuthResponse.SendAsync(_http, request);
    }
}
