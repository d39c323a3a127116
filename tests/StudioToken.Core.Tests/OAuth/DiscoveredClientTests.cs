using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class DiscoveredClientTests
{
    private static readonly Uri Issuer = new("https://id.example.com/");
    private static readonly Uri TokenEndpoint = new("https://id.example.com/connect/token");
    private static readonly Uri RevocationEndpoint = new("https://id.example.com/connect/revoke");

    private static readonly TokenRequest WithSecret = new()
    {
        // Until discovery, the issuer stands in for the token URL.
        TokenUrl = Issuer,
        ClientId = "studio-ci",
        ClientSecret = new Secret("s3cr3t-value"),
    };

    private static ServerMetadata Metadata(string[] tokenMethods, string[]? revocationMethods = null, string[]? grants = null, bool revocation = true) =>
        new(Issuer, TokenEndpoint, revocation ? RevocationEndpoint : null, tokenMethods, new Uri(Issuer, ".well-known/openid-configuration"))
        {
            RevocationEndpointAuthMethods = revocationMethods,
            GrantTypes = grants,
        };

    [Test]
    public void The_discovered_endpoints_and_the_method_the_server_lists_replace_the_stand_in()
    {
        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_post"]), WithSecret, givenTokenUrl: null, chosenMethod: null, givenRevocationUrl: null);
        var request = discovered.ApplyTo(WithSecret);

        Assert.Multiple(() =>
        {
            Assert.That(request.TokenUrl, Is.EqualTo(TokenEndpoint));
            Assert.That(request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(discovered.RevocationUrl, Is.EqualTo(RevocationEndpoint));
            Assert.That(discovered.ForRevocation(WithSecret).AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(discovered.RevocationNote, Is.Null);
        });
    }

    [Test]
    public void Urls_the_user_gave_win_over_the_discovered_ones()
    {
        var gateway = new Uri("https://gateway.example.com/token");
        var revoke = new Uri("https://gateway.example.com/revoke");

        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_basic"], revocationMethods: ["tls_client_auth"]), WithSecret, gateway, chosenMethod: null, revoke);

        Assert.Multiple(() =>
        {
            Assert.That(discovered.TokenUrl, Is.EqualTo(gateway));
            Assert.That(discovered.RevocationUrl, Is.EqualTo(revoke), "a revocation URL given is used as given, whatever the metadata says of its own");
            Assert.That(discovered.RevocationAuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretBasic));
        });
    }

    [Test]
    public void A_revocation_endpoint_that_wants_the_other_secret_method_gets_it()
    {
        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_basic", "client_secret_post"], revocationMethods: ["client_secret_post"]), WithSecret, null, null, null);

        Assert.Multiple(() =>
        {
            Assert.That(discovered.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretBasic));
            Assert.That(discovered.RevocationAuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(discovered.RevocationUrl, Is.EqualTo(RevocationEndpoint));
        });
    }

    [Test]
    public void A_revocation_endpoint_that_accepts_none_of_the_credentials_is_left_out_with_a_note()
    {
        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_basic"], revocationMethods: ["private_key_jwt"]), WithSecret, null, null, null);

        Assert.Multiple(() =>
        {
            Assert.That(discovered.RevocationUrl, Is.Null);
            Assert.That(discovered.RevocationNote, Is.EqualTo("https://id.example.com/ does not accept client_secret_basic at its revocation endpoint (it lists private_key_jwt); the last token is left to expire"));
        });
    }

    [Test]
    public void No_revocation_method_list_means_the_token_endpoints_method_is_used()
    {
        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_post"], revocationMethods: null), WithSecret, null, null, null);

        Assert.That(discovered.RevocationAuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
    }

    [Test]
    public void A_method_chosen_that_the_server_does_not_list_is_a_configuration_error()
    {
        var ex = Assert.Throws<TokenConfigurationException>(() =>
            DiscoveredClient.Decide(Metadata(["client_secret_basic"]), WithSecret, null, ClientAuthMethod.ClientSecretPost, null));

        Assert.That(ex!.Setting, Is.EqualTo("client-auth"));
    }

    [Test]
    public void Token_exchange_needs_no_listed_client_method_but_a_server_that_exchanges_tokens()
    {
        var exchange = new TokenRequest
        {
            TokenUrl = Issuer,
            ClientId = "studio-ci",
            AuthMethod = ClientAuthMethod.GitHubOidc,
            AssertionSource = Mock.Of<IClientAssertionSource>(MockBehavior.Strict),
            Grant = TokenGrant.TokenExchange,
        };

        var allowed = DiscoveredClient.Decide(Metadata(["client_secret_basic"], grants: ["client_credentials", TokenGrantNames.TokenExchangeGrantType]), exchange, null, ClientAuthMethod.GitHubOidc, null);
        var ex = Assert.Throws<TokenConfigurationException>(() =>
            DiscoveredClient.Decide(Metadata(["client_secret_basic"], grants: ["client_credentials"]), exchange, null, ClientAuthMethod.GitHubOidc, null));

        Assert.Multiple(() =>
        {
            Assert.That(allowed.AuthMethod, Is.EqualTo(ClientAuthMethod.GitHubOidc));
            Assert.That(allowed.TokenUrl, Is.EqualTo(TokenEndpoint));
            Assert.That(ex!.Setting, Is.EqualTo("grant"));
            Assert.That(ex.Message, Does.Contain("does not list urn:ietf:params:oauth:grant-type:token-exchange"));
        });
    }

    [Test]
    public void Survives_the_hosts_state_as_json_and_holds_no_secret()
    {
        var discovered = DiscoveredClient.Decide(Metadata(["client_secret_basic"], revocationMethods: ["private_key_jwt"]), WithSecret, null, null, null);

        var json = discovered.ToJson();

        Assert.Multiple(() =>
        {
            Assert.That(DiscoveredClient.FromJson(json), Is.EqualTo(discovered));
            Assert.That(json, Does.Not.Contain("s3cr3t-value"));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("{\"token_url\":\"/relative\",\"client_auth\":\"client_secret_basic\",\"revocation_client_auth\":\"client_secret_basic\"}")]
    [TestCase("{\"token_url\":\"https://id.example.com/token\",\"client_auth\":\"magic\",\"revocation_client_auth\":\"client_secret_basic\"}")]
    public void Anything_but_its_own_json_reads_as_nothing(string? text)
    {
        Assert.That(DiscoveredClient.FromJson(text), Is.Null);
    }
}
