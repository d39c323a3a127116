using StudioToken.Core.OAuth;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class ClientAuthMethodNamesTests
{
    [TestCase("client_secret_basic", ClientAuthMethod.ClientSecretBasic)]
    [TestCase("client_secret_post", ClientAuthMethod.ClientSecretPost)]
    [TestCase(" Client_Secret_Post ", ClientAuthMethod.ClientSecretPost)]
    [TestCase("private_key_jwt", ClientAuthMethod.PrivateKeyJwt)]
    public void Parses_the_wire_names(string text, ClientAuthMethod expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ClientAuthMethodNames.TryParse(text, out var method), Is.True);
            Assert.That(method, Is.EqualTo(expected));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("basic")]
    [TestCase("client_secret_jwt")]
    public void Refuses_unknown_names(string? text)
    {
        Assert.That(ClientAuthMethodNames.TryParse(text, out _), Is.False);
    }

    [TestCase(ClientAuthMethod.ClientSecretBasic, "client_secret_basic")]
    [TestCase(ClientAuthMethod.ClientSecretPost, "client_secret_post")]
    [TestCase(ClientAuthMethod.PrivateKeyJwt, "private_key_jwt")]
    public void Writes_the_wire_names(ClientAuthMethod method, string expected)
    {
        Assert.That(method.ToWireName(), Is.EqualTo(expected));
    }
}
