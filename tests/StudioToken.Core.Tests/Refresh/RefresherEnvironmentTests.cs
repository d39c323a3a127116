using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Security;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Refresh;

[TestFixture]
public sealed class RefresherEnvironmentTests
{
    [Test]
    public void Carries_the_assertion_settings_of_a_private_key_jwt_client_but_never_its_key()
    {
        var pem = TestKeys.Pem(TestKeys.P256);
        var request = new TokenRequest
        {
            TokenUrl = new Uri("https://id.example.com/token"),
            ClientId = "ci",
            AuthMethod = ClientAuthMethod.PrivateKeyJwt,
            ClientAssertionKey = new ClientAssertionKey(pem) { KeyId = "k1", Audience = "https://id.example.com/", Type = "client-authentication+jwt" },
        };

        var variables = RefresherEnvironment.For(request, "/tmp/tokens", new RefreshPolicy(), TimeSpan.FromHours(6)).ToDictionary(v => v.Key, v => v.Value);

        Assert.Multiple(() =>
        {
            Assert.That(variables["STUDIO_CLIENT_AUTH"], Is.EqualTo("private_key_jwt"));
            Assert.That(variables["STUDIO_KEY_ID"], Is.EqualTo("k1"));
            Assert.That(variables["STUDIO_ASSERTION_AUDIENCE"], Is.EqualTo("https://id.example.com/"));
            Assert.That(variables["STUDIO_ASSERTION_TYPE"], Is.EqualTo("client-authentication+jwt"));
            Assert.That(variables.Keys, Has.None.StartsWith("STUDIO_PRIVATE_KEY"));
            Assert.That(string.Concat(variables.Values), Does.Not.Contain(pem.Reveal().Split('\n')[1]));
        });
    }

    [Test]
    public void A_client_with_a_secret_gets_no_assertion_settings()
    {
        var request = new TokenRequest { TokenUrl = new Uri("https://id.example.com/token"), ClientId = "ci", ClientSecret = new Secret("s3cret") };

        var names = RefresherEnvironment.For(request, "/tmp/tokens", new RefreshPolicy(), TimeSpan.FromHours(6)).Select(v => v.Key);

        Assert.That(names, Has.None.Contains("KEY").And.None.Contains("ASSERTION"));
    }
}
