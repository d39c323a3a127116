using System.Text.Json.Nodes;
using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation.Trust;

/// <summary>The OpenIddict test server trusting the local issuer's ID tokens for federated clients.</summary>
[TestFixture]
public sealed class FederatedClientTests
{
    private static IdTokenIssuer Issuer => FederationServers.Issuer;

    private static OpenIddictTestServer Server => FederationServers.Server;

    private static HttpClient Http => FederationServers.Http;

    [TearDown]
    public void Mint_valid_tokens_again() => Issuer.Reset();

    [Test]
    public async Task A_GitHub_ID_token_as_the_client_assertion_gets_a_token_naming_the_client()
    {
        var response = await RequestWithAssertionAsync(FederationServers.GitHubClient, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));

        AssertIssuedTo(response, FederationServers.GitHubClient);
    }

    [Test]
    public async Task An_Azure_OIDC_token_as_the_client_assertion_gets_a_token_naming_the_client()
    {
        var response = await RequestWithAssertionAsync(FederationServers.AzureClient, await IdTokenRequests.AzureTokenAsync(Http, Issuer));

        AssertIssuedTo(response, FederationServers.AzureClient);
    }

    [Test]
    public async Task An_expired_ID_token_is_refused_as_invalid_client_saying_it_expired()
    {
        Issuer.MintExpired = true;

        var response = await RequestWithAssertionAsync(FederationServers.GitHubClient, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));

        OAuthAssert.Refused(response, 401, "invalid_client", "expired");
    }

    [Test]
    public async Task An_ID_token_about_another_repository_is_refused()
    {
        var response = await RequestWithAssertionAsync(FederationServers.OtherRepositoryClient, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));

        OAuthAssert.Refused(response, 401, "invalid_client", "subject");
    }

    [Test]
    public async Task An_ID_token_for_another_audience_is_refused()
    {
        var idToken = await IdTokenRequests.GitHubTokenAsync(Http, Issuer, audience: "https://elsewhere.example");

        var response = await RequestWithAssertionAsync(FederationServers.GitHubClient, idToken);

        OAuthAssert.Refused(response, 401, "invalid_client", "audience");
    }

    [Test]
    public async Task An_ID_token_naming_the_issuer_but_signed_with_another_key_is_refused()
    {
        using var impostor = new IdTokenSigner();
        var claims = JwtParts.Payload(await IdTokenRequests.GitHubTokenAsync(Http, Issuer));
        var forged = impostor.Sign(JsonNode.Parse(claims.GetRawText())!.AsObject());

        var response = await RequestWithAssertionAsync(FederationServers.GitHubClient, forged);

        OAuthAssert.Refused(response, 401, "invalid_client", "signed");
    }

    [Test]
    public async Task A_federated_client_without_an_assertion_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = FederationServers.GitHubClient.ClientId }),
        };

        var response = await OAuthResponse.SendAsync(Http, request);

        OAuthAssert.Refused(response, 400, "invalid_request", "client_secret");
    }

    [Test]
    public async Task Revocation_authenticated_with_a_new_GitHub_ID_token_revokes_the_token()
    {
        var client = FederationServers.GitHubClient;
        var token = (await RequestWithAssertionAsync(client, await IdTokenRequests.GitHubTokenAsync(Http, Issuer))).String("access_token")!;
        var before = await Server.IsActiveAsync(token, TestClient.DefaultBasic);

        using var revocation = FederatedRequests.RevokeWithAssertion(Server.RevocationUrl, client.ClientId, await IdTokenRequests.GitHubTokenAsync(Http, Issuer), token);
        var revoked = await OAuthResponse.SendAsync(Http, revocation);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.True);
            Assert.That(revoked.Status, Is.EqualTo(200));
            Assert.That(await Server.IsActiveAsync(token, TestClient.DefaultBasic), Is.False);
        }
    }

    [Test]
    public async Task Exchanging_a_GitHub_ID_token_gets_a_token_naming_the_client()
    {
        using var request = FederatedRequests.TokenExchange(Server.TokenUrl, FederationServers.ExchangeClient.ClientId, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));

        var response = await OAuthResponse.SendAsync(Http, request);

        AssertIssuedTo(response, FederationServers.ExchangeClient);
        Assert.That(response.String("issued_token_type"), Is.EqualTo("urn:ietf:params:oauth:token-type:access_token"));
    }

    [Test]
    public async Task The_server_records_each_exchanged_token_with_its_subject_token_and_each_revocation_but_no_refusal()
    {
        Issuer.MintExpired = true;
        using var refused = FederatedRequests.TokenExchange(Server.TokenUrl, FederationServers.ExchangeClient.ClientId, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));
        var refusedResponse = await OAuthResponse.SendAsync(Http, refused);
        Issuer.Reset();
        var idToken = await IdTokenRequests.GitHubTokenAsync(Http, Issuer);
        using var request = FederatedRequests.TokenExchange(Server.TokenUrl, FederationServers.ExchangeClient.ClientId, idToken);
        var (exchanges, revocations) = (Server.TokenExchanges.Count, Server.RevokedTokens.Count);

        var token = (await OAuthResponse.SendAsync(Http, request)).String("access_token")!;
        using var revocation = FederatedRequests.Revoke(Server.RevocationUrl, FederationServers.ExchangeClient.ClientId, token);
        var revoked = await OAuthResponse.SendAsync(Http, revocation);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusedResponse.Status, Is.EqualTo(400));
            Assert.That(revoked.Status, Is.EqualTo(200));
            Assert.That(Server.TokenExchanges.Skip(exchanges), Is.EqualTo(new[] { new TokenExchange(idToken, token) }));
            Assert.That(Server.RevokedTokens.Skip(revocations), Is.EqualTo(new[] { token }));
            Assert.That(await Server.IsActiveAsync(token, TestClient.DefaultBasic), Is.False);
        }
    }

    [Test]
    public async Task Exchanging_an_expired_ID_token_is_refused_as_invalid_request_saying_it_expired()
    {
        Issuer.MintExpired = true;
        using var request = FederatedRequests.TokenExchange(Server.TokenUrl, FederationServers.ExchangeClient.ClientId, await IdTokenRequests.GitHubTokenAsync(Http, Issuer));

        var response = await OAuthResponse.SendAsync(Http, request);

        OAuthAssert.Refused(response, 400, "invalid_request", "expired");
    }

    [Test]
    public async Task A_client_registered_while_the_server_runs_is_trusted_at_once()
    {
        var late = TestClient.Federated("late-azure-client", Issuer.AzureCredential());
        await Server.RegisterClientAsync(late);

        var response = await RequestWithAssertionAsync(late, await IdTokenRequests.AzureTokenAsync(Http, Issuer));

        AssertIssuedTo(response, late);
    }

    private static async Task<OAuthResponse> RequestWithAssertionAsync(TestClient client, string idToken)
    {
        using var request = FederatedRequests.TokenWithAssertion(Server.TokenUrl, client.ClientId, idToken);
        return await OAuthResponse.SendAsync(Http, request);
    }

    private static void AssertIssuedTo(OAuthResponse response, TestClient client)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(200), response.Body.ToString());
            Assert.That(response.String("token_type"), Is.EqualTo("Bearer"));
            Assert.That(JwtParts.Payload(response.String("access_token")!).GetProperty("sub").GetString(), Is.EqualTo(client.ClientId));
        }
    }
}
