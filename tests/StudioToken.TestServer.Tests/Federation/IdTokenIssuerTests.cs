using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation;

/// <summary>The local stand-in for GitHub's and Azure's ID-token services, on its own (no OAuth server).</summary>
[TestFixture]
public sealed class IdTokenIssuerTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
    private IdTokenIssuer _issuer = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start_the_issuer()
    {
        _issuer = await IdTokenIssuer.StartAsync(new IdTokenIssuerOptions { TimeProvider = _clock, Lifetime = Lifetime });
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
    }

    [OneTimeTearDown]
    public async Task Stop_the_issuer()
    {
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    [TearDown]
    public void Answer_normally_again() => _issuer.Reset();

    [Test]
    public async Task Listens_on_loopback_and_its_discovery_document_names_it_and_its_key_set()
    {
        using var discovery = JsonDocument.Parse(await _http.GetStringAsync(_issuer.DiscoveryUrl));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_issuer.BaseUrl.GetLeftPart(UriPartial.Authority), Does.StartWith("http://127.0.0.1:"));
            Assert.That(_issuer.Issuer, Does.Not.EndWith("/"));
            Assert.That(discovery.RootElement.GetProperty("issuer").GetString(), Is.EqualTo(_issuer.Issuer));
            Assert.That(discovery.RootElement.GetProperty("jwks_uri").GetString(), Is.EqualTo(_issuer.JwksUrl.AbsoluteUri));
        }
    }

    [Test]
    public async Task A_GitHub_ID_token_verifies_against_the_published_key_set_and_carries_GitHub_claims()
    {
        var now = _clock.GetUtcNow();

        var token = await IdTokenRequests.GitHubTokenAsync(_http, _issuer);

        var result = await ValidateAsync(token, _issuer.Options.GitHubDefaultAudience);
        var header = JwtParts.Header(token);
        var claims = JwtParts.Payload(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.True, result.Exception?.Message);
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
            Assert.That(header.GetProperty("typ").GetString(), Is.EqualTo("JWT"));
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo(_issuer.Issuer));
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo("repo:octo-org/octo-repo:ref:refs/heads/main"));
            Assert.That(claims.GetProperty("aud").GetString(), Is.EqualTo("https://github.com/octo-org"));
            Assert.That(claims.GetProperty("repository").GetString(), Is.EqualTo("octo-org/octo-repo"));
            Assert.That(claims.GetProperty("iat").GetInt64(), Is.EqualTo(now.ToUnixTimeSeconds()));
            Assert.That(claims.GetProperty("nbf").GetInt64(), Is.EqualTo(now.ToUnixTimeSeconds()));
            Assert.That(claims.GetProperty("exp").GetInt64(), Is.EqualTo((now + Lifetime).ToUnixTimeSeconds()));
        }
    }

    [Test]
    public async Task The_GitHub_endpoint_puts_the_requested_audience_in_aud()
    {
        var token = await IdTokenRequests.GitHubTokenAsync(_http, _issuer, "api://AzureADTokenExchange");

        Assert.That(JwtParts.Payload(token).GetProperty("aud").GetString(), Is.EqualTo("api://AzureADTokenExchange"));
    }

    [Test]
    public async Task Times_come_from_the_issuers_clock()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        var now = _clock.GetUtcNow();

        var claims = JwtParts.Payload(await IdTokenRequests.GitHubTokenAsync(_http, _issuer));

        Assert.That(claims.GetProperty("iat").GetInt64(), Is.EqualTo(now.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task Every_ID_token_has_its_own_jti_and_is_counted_and_kept()
    {
        var before = _issuer.IssuedCount;

        var first = await IdTokenRequests.GitHubTokenAsync(_http, _issuer);
        var second = await IdTokenRequests.AzureTokenAsync(_http, _issuer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JwtParts.Payload(first).GetProperty("jti").GetString(), Is.Not.EqualTo(JwtParts.Payload(second).GetProperty("jti").GetString()));
            Assert.That(_issuer.IssuedCount - before, Is.EqualTo(2));
            Assert.That(_issuer.IssuedTokens, Does.Contain(first).And.Contain(second));
        }
    }

    [TestCase(null, TestName = "The_GitHub_endpoint_answers_401_without_a_bearer_token_and_issues_nothing")]
    [TestCase("not-the-request-token", TestName = "The_GitHub_endpoint_answers_401_to_a_wrong_bearer_token_and_issues_nothing")]
    public async Task The_GitHub_endpoint_wants_the_request_token(string? bearer)
    {
        var before = _issuer.IssuedCount;
        using var request = IdTokenRequests.GitHub(_issuer, bearer: bearer);

        var (status, token) = await IdTokenRequests.SendAsync(_http, request, "value");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(401));
            Assert.That(token, Is.Null);
            Assert.That(_issuer.IssuedCount, Is.EqualTo(before));
        }
    }

    [TestCase(IdTokenAnswer.Forbidden, 403)]
    [TestCase(IdTokenAnswer.ServerError, 500)]
    public async Task Both_endpoints_answer_as_told(IdTokenAnswer answer, int expected)
    {
        _issuer.Answer = answer;
        using var gitHub = IdTokenRequests.GitHub(_issuer);
        using var azure = IdTokenRequests.Azure(_issuer);

        var (gitHubStatus, _) = await IdTokenRequests.SendAsync(_http, gitHub, "value");
        var (azureStatus, _) = await IdTokenRequests.SendAsync(_http, azure, "oidcToken");

        Assert.That(new[] { gitHubStatus, azureStatus }, Is.All.EqualTo(expected));
    }

    [Test]
    public async Task An_Azure_OIDC_token_names_the_service_connection_and_the_Azure_audience()
    {
        var token = await IdTokenRequests.AzureTokenAsync(_http, _issuer);

        var result = await ValidateAsync(token, "api://AzureADTokenExchange");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.True, result.Exception?.Message);
            Assert.That(JwtParts.Payload(token).GetProperty("sub").GetString(), Is.EqualTo("sc://octo-org/octo-project/octo-connection"));
        }
    }

    [TestCase(null, "7.1", "wrong", 401, TestName = "The_Azure_endpoint_answers_401_to_a_wrong_access_token")]
    [TestCase("00000000-0000-0000-0000-000000000000", "7.1", "", 404, TestName = "The_Azure_endpoint_answers_404_for_another_service_connection")]
    [TestCase(null, null, "", 400, TestName = "The_Azure_endpoint_answers_400_without_an_api_version")]
    public async Task The_Azure_endpoint_refuses(string? serviceConnectionId, string? apiVersion, string bearer, int expected)
    {
        using var request = IdTokenRequests.Azure(_issuer, serviceConnectionId, apiVersion, bearer);

        var (status, _) = await IdTokenRequests.SendAsync(_http, request, "oidcToken");

        Assert.That(status, Is.EqualTo(expected));
    }

    [Test]
    public async Task An_expired_token_ran_out_ExpiredFor_before_it_was_asked_for()
    {
        _issuer.MintExpired = true;
        var now = _clock.GetUtcNow();

        var claims = JwtParts.Payload(await IdTokenRequests.GitHubTokenAsync(_http, _issuer));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claims.GetProperty("exp").GetInt64(), Is.EqualTo((now - IdTokenIssuer.ExpiredFor).ToUnixTimeSeconds()));
            Assert.That(claims.GetProperty("iat").GetInt64(), Is.EqualTo((now - IdTokenIssuer.ExpiredFor - Lifetime).ToUnixTimeSeconds()));
        }
    }

    // Signature, issuer and audience as any relying party checks them, with keys fetched from the issuer's JWKS URL.
    private async Task<TokenValidationResult> ValidateAsync(string token, string audience)
    {
        var keys = new JsonWebKeySet(await _http.GetStringAsync(_issuer.JwksUrl)).GetSigningKeys();
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _issuer.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            // The fake clock is not the wall clock; the lifetime claims are checked above instead.
            ValidateLifetime = false,
        });
    }
}
