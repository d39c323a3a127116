using System.Security.Cryptography;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Core.Security;
using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Refresher;

[TestFixture]
public sealed class RefresherHandOverTests
{
    private const string AccessToken = "job-access-token-%;]Zz9";
    private const string ClientSecret = "hand-over-secret Ω;%]";

    [Test]
    public void A_multi_line_key_crosses_as_one_line_and_arrives_whole()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ecdsa.ExportPkcs8PrivateKeyPem();
        using var channel = new StringWriter();

        RefresherHandOver.Write(channel, [new(RefresherHandOver.PrivateKey, new Secret(pem))]);
        var text = channel.ToString();
        var received = RefresherHandOver.Read(new StringReader(text));

        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "one line, then the empty one");
        Assert.That(received[RefresherHandOver.PrivateKey].Reveal(), Is.EqualTo(pem));
    }

    [Test]
    public void Reading_stops_at_the_empty_line()
    {
        using var channel = new StringWriter();
        RefresherHandOver.Write(channel, [new(RefresherHandOver.AccessToken, new Secret(AccessToken)), new(RefresherHandOver.ClientSecret, new Secret(ClientSecret))]);
        using var reader = new StringReader(channel + "whatever follows\n");

        var received = RefresherHandOver.Read(reader);

        Assert.That(received.ToDictionary(pair => pair.Key, pair => pair.Value.Reveal()), Is.EqualTo(new Dictionary<string, string>
        {
            [RefresherHandOver.AccessToken] = AccessToken,
            [RefresherHandOver.ClientSecret] = ClientSecret,
        }));
        Assert.That(reader.ReadLine(), Is.EqualTo("whatever follows"));
    }

    [TestCase("PATH L3Vzci9iaW4=")]
    [TestCase("STUDIO_CLIENT_SECRET not-base64!")]
    [TestCase("STUDIO_CLIENT_SECRET")]
    public void Refuses_a_line_that_is_not_a_secret_it_takes_without_quoting_it(string line)
    {
        var error = Assert.Throws<FormatException>(() => RefresherHandOver.Read(new StringReader(line + "\n\n")));

        Assert.That(error!.Message, Does.Contain("line 1").And.Not.Contain(line));
    }

    [Test]
    public void The_secret_handed_over_is_the_one_the_method_authenticates_with()
    {
        var secretInputs = new Dictionary<string, string>
        {
            ["INPUT_TOKENURL"] = "https://studio.example.com/token",
            ["INPUT_CLIENTID"] = "client",
            ["INPUT_CLIENTSECRET"] = ClientSecret,
        };
        var oidcInputs = new Dictionary<string, string>
        {
            ["INPUT_TOKENURL"] = "https://studio.example.com/token",
            ["INPUT_CLIENTID"] = "client",
            ["INPUT_CLIENTAUTH"] = "azure_oidc",
            ["INPUT_OIDCSERVICECONNECTION"] = "3f2c9d4e",
            ["ENDPOINT_URL_3f2c9d4e"] = "https://management.azure.com/",
            ["SYSTEM_OIDCREQUESTURI"] = "https://dev.azure.com/org/oidctoken",
            ["SYSTEM_ACCESSTOKEN"] = AccessToken,
        };

        var forSecret = RefresherHandOver.SecretOf(Read(secretInputs));
        var forOidc = RefresherHandOver.SecretOf(Read(oidcInputs));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(forSecret.Key, Is.EqualTo(RefresherHandOver.ClientSecret));
            Assert.That(forSecret.Value.Reveal(), Is.EqualTo(ClientSecret));
            Assert.That(forOidc.Key, Is.EqualTo(RefresherHandOver.AccessToken));
            Assert.That(forOidc.Value.Reveal(), Is.EqualTo(AccessToken));
        }
    }

    private static TaskSettings Read(Dictionary<string, string> environment)
    {
        var settings = new TaskInputs(environment.GetValueOrDefault).TryRead(out var errors);
        Assert.That(errors, Is.Empty, () => string.Join("; ", errors.Select(e => e.Message)));
        SecretScan.AssertAbsent(string.Join("\n", errors.Select(e => e.Message)), AccessToken, "an input error");
        return settings!;
    }
}
