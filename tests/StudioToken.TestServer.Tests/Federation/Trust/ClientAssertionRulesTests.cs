using System.Text.Json.Nodes;
using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation.Trust;

/// <summary>
/// What OpenIddict 7.9 itself accepts as a client assertion, measured with a client that holds the ID-token issuer's
/// key as its own (what registering the issuer's JWKS for the client amounts to). A CI platform's ID token breaks
/// each of its rules, which is why the test server authenticates federated clients with its own handlers.
/// </summary>
[TestFixture]
public sealed class ClientAssertionRulesTests
{
    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    private static OpenIddictTestServer Server => FederationServers.Server;

    private static HttpClient Http => FederationServers.Http;

    private static string ClientId => FederationServers.IssuerKeyClient.ClientId;

    [Test]
    public async Task The_issuers_key_works_for_an_assertion_the_client_signs_as_OpenIddict_wants()
    {
        var response = await SendAsync(Claims(iss: ClientId, sub: ClientId, aud: Server.Issuer.AbsoluteUri), "client-authentication+jwt");

        Assert.That(response.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_GitHub_ID_token_addressed_to_the_server_is_refused_because_OpenIddict_finds_the_key_by_iss()
    {
        var idToken = await IdTokenRequests.GitHubTokenAsync(Http, Issuer, audience: Server.Issuer.AbsoluteUri);
        using var request = FederatedRequests.TokenWithAssertion(Server.TokenUrl, ClientId, idToken);

        var response = await OAuthResponse.SendAsync(Http, request);

        OAuthAssert.Refused(response, 401, "invalid_client", "signing key");
    }

    [Test]
    public async Task The_iss_must_be_the_client_id_or_no_key_is_found()
    {
        var response = await SendAsync(Claims(iss: Issuer.Issuer, sub: ClientId, aud: Server.Issuer.AbsoluteUri), "client-authentication+jwt");

        OAuthAssert.Refused(response, 401, "invalid_client", "signing key");
    }

    [Test]
    public async Task The_sub_must_be_the_iss()
    {
        var response = await SendAsync(Claims(iss: ClientId, sub: Issuer.Options.GitHubSubject, aud: Server.Issuer.AbsoluteUri), "client-authentication+jwt");

        OAuthAssert.Refused(response, 400, "invalid_grant", "'sub'");
    }

    [Test]
    public async Task The_aud_must_be_the_servers_issuer_not_the_Azure_audience()
    {
        var response = await SendAsync(Claims(iss: ClientId, sub: ClientId, aud: Issuer.Options.AzureAudience), "client-authentication+jwt");

        OAuthAssert.Refused(response, 400, "invalid_token", "audience");
    }

    [Test]
    public async Task The_typ_must_be_client_authentication_jwt_not_the_platforms_JWT()
    {
        var response = await SendAsync(Claims(iss: ClientId, sub: ClientId, aud: Server.Issuer.AbsoluteUri), "JWT");

        OAuthAssert.Refused(response, 401, "invalid_client", "type");
    }

    private static JsonObject Claims(string iss, string sub, string aud)
    {
        // The server checks expiry against the wall clock, so the assertion is dated by it.
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = iss,
            ["sub"] = sub,
            ["aud"] = aud,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now,
            ["exp"] = now + 300,
        };
    }

    private static async Task<OAuthResponse> SendAsync(JsonObject claims, string type)
    {
        using var request = FederatedRequests.TokenWithAssertion(Server.TokenUrl, ClientId, Issuer.SignArbitrary(claims, type));
        return await OAuthResponse.SendAsync(Http, request);
    }
}
