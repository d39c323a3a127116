using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra.Tests;

public sealed class EntraSettingsTests
{
    private static EntraSettings Valid => new()
    {
        TenantId = "contoso.onmicrosoft.com",
        ClientId = "00000000-0000-0000-0000-000000000001",
        Credential = new EntraCredential.ClientSecret(new Secret("s")),
        Scopes = [EntraSettings.DefaultScopeOf("https://management.azure.com/")],
    };

    [Test]
    public void The_authority_is_the_global_cloud_and_the_tenant_unless_a_host_is_given()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Valid.TokenEndpoint, Is.EqualTo(new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")));
            Assert.That((Valid with { AuthorityHost = new Uri("https://login.microsoftonline.us") }).TokenEndpoint, Is.EqualTo(new Uri("https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token")));
            Assert.That(Valid.Scopes, Is.EqualTo(new[] { "https://management.azure.com/.default" }));
        });
    }

    [TestCase("common")]
    [TestCase("organizations")]
    [TestCase("")]
    [TestCase("contoso/../x")]
    public void A_tenant_that_names_no_single_directory_is_refused(string tenant)
    {
        var problem = Assert.Throws<TokenConfigurationException>(() => (Valid with { TenantId = tenant }).Validate())!;

        Assert.That(problem.Setting, Is.EqualTo("tenant-id"));
    }

    [TestCase("http://127.0.0.1:8080")]
    [TestCase("https://login.example.com/some/path")]
    public void An_authority_host_that_is_not_an_https_host_alone_is_refused(string host)
    {
        var problem = Assert.Throws<TokenConfigurationException>(() => (Valid with { AuthorityHost = new Uri(host) }).Validate())!;

        Assert.That(problem.Setting, Is.EqualTo("authority-host"));
    }

    [Test]
    public void A_request_for_nothing_is_refused()
    {
        var problem = Assert.Throws<TokenConfigurationException>(() => (Valid with { Scopes = [] }).Validate())!;

        Assert.That(problem.Setting, Is.EqualTo("scope"));
    }
}
