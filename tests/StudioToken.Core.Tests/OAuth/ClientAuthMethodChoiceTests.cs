using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class ClientAuthMethodChoiceTests
{
    private static readonly Uri Issuer = new("https://id.example.com/");
    private static readonly IReadOnlyList<ClientAuthMethod> SecretOnly = ClientAuthMethodChoice.WithClientSecret;

    [TestCase(new[] { "client_secret_post", "client_secret_basic" }, ClientAuthMethod.ClientSecretBasic)]
    [TestCase(new[] { "private_key_jwt", "client_secret_post" }, ClientAuthMethod.ClientSecretPost)]
    [TestCase(new[] { "CLIENT_SECRET_POST" }, ClientAuthMethod.ClientSecretPost)]
    public void With_a_secret_and_no_choice_it_prefers_basic_then_post(string[] serverMethods, ClientAuthMethod expected)
    {
        Assert.That(ClientAuthMethodChoice.Choose(serverMethods, chosen: null, SecretOnly, Issuer), Is.EqualTo(expected));
    }

    [Test]
    public void The_users_choice_stands_when_the_server_lists_it()
    {
        var method = ClientAuthMethodChoice.Choose(["client_secret_basic", "client_secret_post"], ClientAuthMethod.ClientSecretPost, SecretOnly, Issuer);

        Assert.That(method, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
    }

    [Test]
    public void A_choice_the_server_does_not_list_is_a_configuration_error_naming_what_it_supports()
    {
        var ex = Assert.Throws<TokenConfigurationException>(() =>
            ClientAuthMethodChoice.Choose(["client_secret_basic", "private_key_jwt"], ClientAuthMethod.ClientSecretPost, SecretOnly, Issuer));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Setting, Is.EqualTo("client-auth"));
            Assert.That(ex.Message, Is.EqualTo("client-auth: client_secret_post is not supported by https://id.example.com/; it supports client_secret_basic, private_key_jwt"));
        });
    }

    [Test]
    public void No_method_the_credentials_allow_is_a_configuration_error_naming_both_sides()
    {
        var ex = Assert.Throws<TokenConfigurationException>(() =>
            ClientAuthMethodChoice.Choose(["private_key_jwt", "tls_client_auth"], chosen: null, SecretOnly, Issuer));

        Assert.That(ex!.Message, Is.EqualTo("client-auth: https://id.example.com/ supports only private_key_jwt, tls_client_auth, none of which the credentials given allow (client_secret_basic, client_secret_post)"));
    }

    [Test]
    public void An_empty_list_says_the_server_supports_no_method()
    {
        var ex = Assert.Throws<TokenConfigurationException>(() => ClientAuthMethodChoice.Choose([], chosen: null, SecretOnly, Issuer));

        Assert.That(ex!.Message, Does.Contain("supports only no client authentication method"));
    }

    [Test]
    public void A_private_key_makes_private_key_jwt_the_first_choice_and_a_secret_adds_the_secret_methods()
    {
        var both = new TokenRequest
        {
            TokenUrl = new Uri("https://id.example.com/token"),
            ClientId = "ci",
            ClientSecret = new Secret("s"),
            ClientAssertionKey = new ClientAssertionKey(new Secret("-----BEGIN PRIVATE KEY-----")),
        };
        var secretOnly = both with { ClientAssertionKey = null };

        Assert.Multiple(() =>
        {
            Assert.That(ClientAuthMethodChoice.UsableWith(both), Is.EqualTo(new[] { ClientAuthMethod.PrivateKeyJwt, ClientAuthMethod.ClientSecretBasic, ClientAuthMethod.ClientSecretPost }));
            Assert.That(ClientAuthMethodChoice.UsableWith(secretOnly), Is.EqualTo(SecretOnly));
            Assert.That(ClientAuthMethodChoice.Choose(["client_secret_basic", "private_key_jwt"], chosen: null, ClientAuthMethodChoice.UsableWith(both), Issuer), Is.EqualTo(ClientAuthMethod.PrivateKeyJwt));
        });
    }
}
