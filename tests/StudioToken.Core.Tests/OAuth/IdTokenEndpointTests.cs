using System.Net;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.OAuth;

/// <summary>A CI platform's ID-token endpoint: what it answers, classified as the token endpoint's answers are.</summary>
[TestFixture]
public sealed class IdTokenEndpointTests
{
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln";

    private ScriptedHttpHandler _handler = null!;
    private HttpClient _httpClient = null!;

    [SetUp]
    public void SetUp()
    {
        _handler = new ScriptedHttpHandler();
        _httpClient = TokenClient.CreateHttpClient(_handler);
    }

    [TearDown]
    public void TearDown()
    {
        _httpClient.Dispose();
        _handler.Dispose();
    }

    private Task<Core.Security.Secret> FetchAsync()
    {
        var endpoint = new IdTokenEndpoint(_httpClient, new FakeTimeProvider(TestTokens.Start), "the ID token endpoint", "check the permission");
        return endpoint.FetchAsync(new HttpRequestMessage(HttpMethod.Get, "https://ci.example.com/idtoken?api-version=2.0"), "value", CancellationToken.None);
    }

    [Test]
    public async Task Returns_the_JWT_in_the_named_property()
    {
        _handler.ThenJson(HttpStatusCode.OK, $$"""{"count":1,"value":"{{Jwt}}"}""");

        var token = await FetchAsync();

        Assert.Multiple(() =>
        {
            Assert.That(token.Reveal(), Is.EqualTo(Jwt));
            Assert.That(_handler.Requests.Single().Header("Accept"), Does.Contain("application/json"));
        });
    }

    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    public void A_refusal_is_rejected_with_the_hint_and_without_the_body(HttpStatusCode status)
    {
        _handler.ThenJson(status, """{"message":"request token Bearer abc.def.ghi is not valid"}""");

        var error = Assert.ThrowsAsync<TokenRequestException>(FetchAsync)!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(error.Message, Does.Contain("check the permission"));
            Assert.That(error.Message, Does.Not.Contain("abc.def.ghi"));
        });
    }

    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public void A_busy_or_failing_endpoint_is_transient(HttpStatusCode status)
    {
        _handler.ThenJson(status, "{}", response => response.Headers.RetryAfter = new(TimeSpan.FromSeconds(7)));

        var error = Assert.ThrowsAsync<TokenRequestException>(FetchAsync)!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        });
    }

    [TestCase("""{"value":""}""")]
    [TestCase("""{"value":"not-a-jwt"}""")]
    [TestCase("""{"value":"a.b.c\r\n::add-mask::x"}""")]
    [TestCase("""{"value":42}""")]
    [TestCase("""{"oidcToken":"a.b.c"}""")]
    [TestCase("<html>sign in</html>")]
    public void An_answer_without_a_JWT_is_a_bad_response(string body)
    {
        _handler.ThenJson(HttpStatusCode.OK, body);

        var error = Assert.ThrowsAsync<TokenRequestException>(FetchAsync)!;

        Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
    }
}
