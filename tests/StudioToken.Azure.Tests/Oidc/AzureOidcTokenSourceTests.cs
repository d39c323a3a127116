using System.Net;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Oidc;

/// <summary>The Azure Pipelines OIDC token request as the agent's docs and AzureCLI task make it.</summary>
[TestFixture]
public sealed class AzureOidcTokenSourceTests
{
    private const string AccessToken = "system-access-token-7Hq";
    private const string ConnectionId = "3f2c9d4e-1111-4a5b-9c8d-0123456789ab";
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYzovL28vcC9jIn0.c2ln";
    private const string RequestUri = "https://dev.azure.com/org/0000/_apis/distributedtask/hubs/build/plans/1111/jobs/2222/oidctoken";

    private static Dictionary<string, string?> AgentEnvironment() => new()
    {
        [AzureOidcTokenSource.RequestUriVariable] = RequestUri,
        [AzureOidcTokenSource.AccessTokenVariable] = AccessToken,
    };

    [Test]
    public async Task Posts_for_the_service_connection_with_the_access_token_as_bearer()
    {
        using var handler = new RecordingHttpHandler().ThenJson(HttpStatusCode.OK, $$"""{"oidcToken":"{{Jwt}}"}""");
        using var http = new HttpClient(handler);
        var environment = AgentEnvironment();
        var source = AzureOidcTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), ConnectionId);

        var token = await source.GetAssertionAsync(CancellationToken.None);

        var (request, body) = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(token.Reveal(), Is.EqualTo(Jwt));
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(request.RequestUri!.AbsoluteUri, Is.EqualTo($"{RequestUri}?serviceConnectionId={ConnectionId}&api-version=7.1"));
            Assert.That(request.Headers.Authorization?.ToString(), Is.EqualTo("Bearer " + AccessToken));
            Assert.That(body, Is.Empty);
        });
    }

    [Test]
    public async Task Falls_back_to_the_agents_own_connection_token_when_System_AccessToken_is_not_mapped()
    {
        using var handler = new RecordingHttpHandler().ThenJson(HttpStatusCode.OK, $$"""{"oidcToken":"{{Jwt}}"}""");
        using var http = new HttpClient(handler);
        var environment = AgentEnvironment();
        environment.Remove(AzureOidcTokenSource.AccessTokenVariable);
        environment[AzureOidcTokenSource.AgentAccessTokenVariable] = "agent-connection-token";

        await AzureOidcTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), ConnectionId).GetAssertionAsync(CancellationToken.None);

        Assert.That(handler.Requests.Single().Request.Headers.Authorization?.Parameter, Is.EqualTo("agent-connection-token"));
    }

    [Test]
    public void Outside_a_pipeline_says_so()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<TokenConfigurationException>(() => AzureOidcTokenSource.FromEnvironment(_ => null, http, new FakeTimeProvider(), ConnectionId))!;

        Assert.That(error.Message, Does.Contain("SYSTEM_OIDCREQUESTURI"));
    }

    [Test]
    public void Without_an_access_token_says_how_to_map_it()
    {
        var environment = AgentEnvironment();
        environment.Remove(AzureOidcTokenSource.AccessTokenVariable);
        using var http = new HttpClient();

        var error = Assert.Throws<TokenConfigurationException>(() => AzureOidcTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), ConnectionId))!;

        Assert.That(error.Message, Does.Contain("SYSTEM_ACCESSTOKEN: $(System.AccessToken)"));
    }

    [TestCase("")]
    [TestCase("id&api-version=1")]
    public void A_service_connection_id_that_is_not_an_id_is_refused(string id)
    {
        var environment = AgentEnvironment();
        using var http = new HttpClient();

        Assert.That(
            () => AzureOidcTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), id),
            Throws.TypeOf<TokenConfigurationException>().With.Message.Contains("service connection"));
    }
}
