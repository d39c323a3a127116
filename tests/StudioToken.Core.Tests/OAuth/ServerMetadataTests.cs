using Newtonsoft.Json.Linq;
using StudioToken.Core.OAuth;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class ServerMetadataTests
{
    private static readonly Uri Issuer = new("https://id.example.com/tenant");
    private static readonly Uri DocumentUrl = new("https://id.example.com/.well-known/oauth-authorization-server/tenant");

    private static ServerMetadata Read(string json, bool allowInsecureHttp = false) =>
        ServerMetadata.FromDocument(JObject.Parse(json), Issuer, DocumentUrl, allowInsecureHttp);

    private static TokenRequestException Refused(string json)
    {
        var ex = Assert.Throws<TokenRequestException>(() => Read(json))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.StartWith($"authorization server metadata at {DocumentUrl} "));
            Assert.That(ex.Message, Does.Not.Contain('\n').And.Not.Contain('\r'));
        });
        return ex;
    }

    [Test]
    public void Without_a_revocation_endpoint_or_auth_methods_it_has_none_and_client_secret_basic()
    {
        var metadata = Read("""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/tenant/token"}""");

        Assert.Multiple(() =>
        {
            Assert.That(metadata.TokenEndpoint, Is.EqualTo(new Uri("https://id.example.com/tenant/token")));
            Assert.That(metadata.RevocationEndpoint, Is.Null);
            Assert.That(metadata.TokenEndpointAuthMethods, Is.EqualTo(new[] { "client_secret_basic" }));
        });
    }

    [Test]
    public void Ignores_members_it_does_not_use_whatever_their_type()
    {
        var metadata = Read("""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/t","jwks_uri":42,"scopes_supported":{"odd":true},"revocation_endpoint":null}""");

        Assert.That(metadata.RevocationEndpoint, Is.Null);
    }

    [Test]
    public void The_issuer_matches_when_only_the_host_case_or_default_port_differ()
    {
        var issuer = new Uri("https://ID.example.com:443");

        var metadata = ServerMetadata.FromDocument(JObject.Parse("""{"issuer":"https://id.example.com/","token_endpoint":"https://id.example.com/t"}"""), issuer, DocumentUrl, allowInsecureHttp: false);

        Assert.That(metadata.Issuer, Is.EqualTo(issuer));
    }

    [TestCase("https://id.example.com/tenant/", "a trailing slash after a path counts")]
    [TestCase("https://id.example.com/other", "another tenant")]
    [TestCase("not a url", "not a URL at all")]
    public void An_issuer_that_is_not_the_configured_one_is_refused(string named, string why)
    {
        var ex = Refused($$"""{"issuer":"{{named}}","token_endpoint":"https://id.example.com/t"}""");

        Assert.That(ex.Message, Does.Contain($"names the issuer '{named}', not 'https://id.example.com/tenant'"), why);
    }

    [Test]
    public void A_document_without_an_issuer_is_refused()
    {
        var ex = Refused("""{"token_endpoint":"https://id.example.com/t"}""");

        Assert.That(ex.Message, Does.EndWith("has no issuer; it is not authorization server metadata"));
    }

    [Test]
    public void The_issuer_a_server_names_reaches_the_message_on_one_line()
    {
        var ex = Refused("""{"issuer":"https://evil.example.net/\r\n::add-mask::x","token_endpoint":"https://id.example.com/t"}""");

        Assert.That(ex.Message, Does.Contain("'https://evil.example.net/  ::add-mask::x'"));
    }

    [Test]
    public void A_document_without_a_token_endpoint_is_refused()
    {
        var ex = Refused("""{"issuer":"https://id.example.com/tenant","revocation_endpoint":"https://id.example.com/r"}""");

        Assert.That(ex.Message, Does.Contain("has no token_endpoint"));
    }

    [TestCase("token_endpoint", "\"http://id.example.com/t\"", "uses http:// to a host that is not loopback")]
    [TestCase("token_endpoint", "\"/relative/token\"", "is not an absolute http(s) URL")]
    [TestCase("token_endpoint", "\"https://user:pw@id.example.com/t\"", "must not contain user information")]
    [TestCase("token_endpoint", "[\"https://id.example.com/t\"]", "expected an absolute URL")]
    [TestCase("revocation_endpoint", "\"http://id.example.com/r\"", "uses http:// to a host that is not loopback")]
    [TestCase("revocation_endpoint", "17", "expected an absolute URL")]
    public void An_endpoint_the_secret_could_not_safely_go_to_is_refused(string member, string value, string problem)
    {
        var members = new JObject { ["issuer"] = "https://id.example.com/tenant", ["token_endpoint"] = "https://id.example.com/t" };
        members[member] = JToken.Parse(value);

        var ex = Refused(members.ToString());

        Assert.That(ex.Message, Does.Contain($"gives {member} ").And.Contain(problem));
    }

    [Test]
    public void Plain_http_endpoints_pass_when_plain_http_is_allowed()
    {
        var metadata = Read("""{"issuer":"https://id.example.com/tenant","token_endpoint":"http://id.internal/t"}""", allowInsecureHttp: true);

        Assert.That(metadata.TokenEndpoint, Is.EqualTo(new Uri("http://id.internal/t")));
    }

    [TestCase("\"client_secret_basic\"")]
    [TestCase("[\"client_secret_basic\", 3]")]
    [TestCase("[\"\"]")]
    public void Auth_methods_that_are_not_an_array_of_names_are_refused(string value)
    {
        var ex = Refused($$"""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/t","token_endpoint_auth_methods_supported":{{value}}}""");

        Assert.That(ex.Message, Does.Contain("gives token_endpoint_auth_methods_supported as").And.Contain("expected an array of names"));
    }

    [Test]
    public void Reads_the_revocation_endpoints_methods_and_the_grants_when_listed_and_leaves_them_unknown_when_not()
    {
        var listed = Read("""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/t","revocation_endpoint_auth_methods_supported":["client_secret_post"],"grant_types_supported":["client_credentials"]}""");
        var unlisted = Read("""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/t"}""");

        Assert.Multiple(() =>
        {
            Assert.That(listed.RevocationEndpointAuthMethods, Is.EqualTo(new[] { "client_secret_post" }));
            Assert.That(listed.GrantTypes, Is.EqualTo(new[] { "client_credentials" }));
            Assert.That(unlisted.RevocationEndpointAuthMethods, Is.Null);
            Assert.That(unlisted.GrantTypes, Is.Null);
        });
    }

    [TestCase("revocation_endpoint_auth_methods_supported")]
    [TestCase("grant_types_supported")]
    public void Other_lists_that_are_not_arrays_of_names_are_refused(string name)
    {
        var ex = Refused($$"""{"issuer":"https://id.example.com/tenant","token_endpoint":"https://id.example.com/t","{{name}}":"client_secret_basic"}""");

        Assert.That(ex.Message, Does.Contain($"gives {name} as"));
    }
}
