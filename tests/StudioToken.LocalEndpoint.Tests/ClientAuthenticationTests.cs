using System.Net;
using System.Net.Http.Headers;
using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Tests;

[CancelAfter(30_000)]
public sealed class ClientAuthenticationTests
{
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
    public async Task Accepts_form_encoded_special_characters_in_basic_credentials()
    {
        const string awkward = "a b+c%d:e";
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientId = awkward, ClientSecret = awkward });

        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, awkward, awkward), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Rejects_a_wrong_secret_with_invalid_client_and_never_echoes_a_secret()
    {
        const string wrongSecret = "not-the-secret";
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Basic(endpoint.TokenUrl, "demo-client", wrongSecret), Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        var everythingSent = $"{response.Headers}{response.Content.Headers}{text}";

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"studio\""));
            Assert.That(JObject.Parse(text).Value<string>("error"), Is.EqualTo("invalid_client"));
            Assert.That(JObject.Parse(text).Value<string>("error_description"), Is.EqualTo("Client authentication failed."));
            Assert.That(everythingSent, Does.Not.Contain(wrongSecret).And.Not.Contain(TokenRequests.Secret));
            Assert.That(endpoint.TokensIssued, Is.Zero);
        });
    }

    [Test]
    public async Task Rejects_an_unknown_client_id_with_invalid_client()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Post(endpoint.TokenUrl, "someone-else", TokenRequests.Secret), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rejects_a_request_that_uses_both_basic_and_post_authentication()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
        using var request = TokenRequests.Post(endpoint.TokenUrl, "demo-client", TokenRequests.Secret);
        request.Headers.Authorization = TokenRequests.Basic(endpoint.TokenUrl, "demo-client", TokenRequests.Secret).Headers.Authorization;

        using var response = await _client.SendAsync(request, Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rejects_a_request_without_client_credentials()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });

        using var response = await _client.SendAsync(TokenRequests.Form(endpoint.TokenUrl, [new("grant_type", "client_credentials")]), Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rejects_an_authorization_header_that_is_not_basic()
    {
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = TokenRequests.Secret });
        using var request = TokenRequests.Form(endpoint.TokenUrl, [new("grant_type", "client_credentials")]);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "whatever");

        using var response = await _client.SendAsync(request, Cancellation);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public void Never_prints_the_secret_from_options_or_recorded_requests()
    {
        var options = new LocalEndpointOptions { ClientSecret = TokenRequests.Secret };
        var recorded = new RecordedRequest(
            "POST",
            "/api/v2/oauth/token",
            new Dictionary<string, string> { ["Authorization"] = $"Basic {TokenRequests.Secret}" },
            $"client_secret={TokenRequests.Secret}",
            [new("client_secret", TokenRequests.Secret)]);

        Assert.That(options.ToString(), Does.Not.Contain(TokenRequests.Secret).And.Contain("***"));
        Assert.That(recorded.ToString(), Does.Not.Contain(TokenRequests.Secret));
    }

    private static CancellationToken Cancellation => TestContext.CurrentContext.CancellationToken;
}
