using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class TokenRequestTests
{
    private static TokenRequest Valid() => new()
    {
        TokenUrl = new Uri("https://studio.example.com/api/v2/oauth/token"),
        ClientId = "ci",
        ClientSecret = new Secret("secret"),
    };

    private static TokenConfigurationException Invalid(TokenRequest request) =>
        Assert.Throws<TokenConfigurationException>(request.Validate)!;

    [Test]
    public void Accepts_a_complete_request()
    {
        var request = Valid() with
        {
            Scope = "studio:script",
            Audience = "https://api.example.com",
            Resources = [new Uri("https://api.example.com/")],
            ExtraParameters = [new("tenant", "blue")],
        };

        Assert.DoesNotThrow(request.Validate);
    }

    [Test]
    public void Defaults_to_client_secret_basic_a_30_second_timeout_and_an_assumed_hour()
    {
        var request = Valid();

        Assert.Multiple(() =>
        {
            Assert.That(request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretBasic));
            Assert.That(request.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(request.AssumedLifetime, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(request.AllowInsecureHttp, Is.False);
        });
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Names_client_id_when_it_is_empty(string clientId)
    {
        var ex = Invalid(Valid() with { ClientId = clientId });

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("client-id"));
            Assert.That(ex.Message, Is.EqualTo("client-id: is empty; give the OAuth client id"));
        });
    }

    [TestCase("ci\n")]
    [TestCase("ci\r")]
    [TestCase("c\0i")]
    [TestCase("\tci")]
    public void Names_client_id_when_it_holds_a_control_character(string clientId)
    {
        var ex = Invalid(Valid() with { ClientId = clientId });

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("client-id"));
            Assert.That(ex.Message, Does.Contain("control character"));
        });
    }

    [TestCase("")]
    [TestCase("studio:\"script\"")]
    [TestCase("studio\\script")]
    [TestCase("studio:script\n")]
    public void Names_scope_when_it_is_malformed(string scope)
    {
        Assert.That(Invalid(Valid() with { Scope = scope }).Setting, Is.EqualTo("scope"));
    }

    [TestCase("grant_type")]
    [TestCase("client_id")]
    [TestCase("client_secret")]
    [TestCase("scope")]
    [TestCase("audience")]
    [TestCase("resource")]
    [TestCase("client_assertion")]
    [TestCase("client_assertion_type")]
    [TestCase("")]
    [TestCase(" ")]
    public void Names_extra_params_when_one_would_override_a_reserved_parameter(string name)
    {
        var ex = Invalid(Valid() with { ExtraParameters = [new("tenant", "blue"), new(name, "x")] });

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("extra-params"));
            Assert.That(ex.Message, Does.Contain($"'{name}'"));
        });
    }

    [TestCase("/relative/path", UriKind.Relative)]
    [TestCase("https://api.example.com/#part", UriKind.Absolute)]
    public void Names_resource_when_it_is_not_an_absolute_URI_without_fragment(string resource, UriKind kind)
    {
        Assert.That(Invalid(Valid() with { Resources = [new Uri(resource, kind)] }).Setting, Is.EqualTo("resource"));
    }

    [TestCase("https://user:pass@studio.example.com/token")]
    [TestCase("https://studio.example.com/token#frag")]
    [TestCase("ftp://studio.example.com/token")]
    [TestCase("file:///etc/passwd")]
    [TestCase("http://studio.example.com/token")]
    public void Names_token_url_when_it_is_unusable_or_unsafe(string url)
    {
        var ex = Invalid(Valid() with { TokenUrl = new Uri(url) });

        Assert.Multiple(() =>
        {
            Assert.That(ex.Setting, Is.EqualTo("token-url"));
            Assert.That(ex.Message, Does.Not.Contain("pass@"), "user information must not be echoed");
        });
    }

    [Test]
    public void Names_token_url_when_it_is_relative()
    {
        Assert.That(Invalid(Valid() with { TokenUrl = new Uri("/api/v2/oauth/token", UriKind.Relative) }).Setting, Is.EqualTo("token-url"));
    }

    [Test]
    public void Names_timeout_when_it_is_not_positive()
    {
        Assert.That(Invalid(Valid() with { RequestTimeout = TimeSpan.Zero }).Setting, Is.EqualTo("timeout"));
    }

    [Test]
    public void Allows_an_infinite_timeout()
    {
        Assert.DoesNotThrow((Valid() with { RequestTimeout = Timeout.InfiniteTimeSpan }).Validate);
    }

    [Test]
    public void Names_assumed_lifetime_when_it_is_not_positive()
    {
        Assert.That(Invalid(Valid() with { AssumedLifetime = TimeSpan.FromSeconds(-1) }).Setting, Is.EqualTo("assumed-lifetime"));
    }
}
