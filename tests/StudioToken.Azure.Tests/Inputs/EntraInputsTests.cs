using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.OAuth;
using StudioToken.Entra;

namespace StudioToken.Azure.Tests.Inputs;

/// <summary><c>provider: entra</c>: the tenant, the cloud, the credential, and the inputs Entra has no use for.</summary>
[TestFixture]
public sealed class EntraInputsTests
{
    private const string SecretValue = "entra-Zq9;%]client-secret";
    private const string CertificatePassword = "pfx-P4ss;%]word";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ConnectionId = "6f1c3b9e-2d4a-4c8e-9f00-1a2b3c4d5e6f";
    private const string AzureConnection = "3f2c9d4e-7b1a-4c2e-8d90-0a1b2c3d4e5f";
    private const string AccessToken = "job-access-token-%;]Zz9";

    private Dictionary<string, string> _environment = null!;
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["INPUT_PROVIDER"] = "entra",
            ["INPUT_TENANTID"] = Tenant,
            ["INPUT_CLIENTID"] = "00000000-1111-2222-3333-444444444444",
            ["INPUT_CLIENTSECRET"] = SecretValue,
            ["INPUT_RESOURCE"] = "https://management.azure.com",

            // task.json's defaults, which the agent always passes.
            ["INPUT_CLIENTAUTH"] = "client_secret_basic",
            ["INPUT_GRANT"] = "client_credentials",
        };
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private AgentInputs Agent => new(_environment, SecretValue, CertificatePassword);

    private TaskInputs Inputs => Agent.Inputs;

    private void Set(string input, string value) => Agent.Set(input, value);

    private TaskSettings ReadValid() => Agent.ReadValid();

    private IReadOnlyList<TaskInputError> ReadInvalid() => Agent.ReadInvalid();

    private string WritePfx(string? password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=studio-token-azure-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        using var certificate = request.CreateSelfSigned(now, now.AddYears(30));
        var path = _temp.Combine("app.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    [Test]
    public void Entra_with_a_client_secret_asks_the_tenants_endpoint_for_the_resources_default_scope()
    {
        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Entra, Is.Not.Null);
            Assert.That(settings.Entra!.Settings.TenantId, Is.EqualTo(Tenant));
            Assert.That(settings.Entra.Settings.AuthorityHost, Is.EqualTo(EntraSettings.DefaultAuthorityHost));
            Assert.That(settings.Entra.Settings.Scopes, Is.EqualTo(new[] { "https://management.azure.com/.default" }));
            Assert.That(settings.Entra.Settings.Credential, Is.InstanceOf<EntraCredential.ClientSecret>());
            Assert.That(settings.Entra.CertificateFile, Is.Null);
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri($"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/token")));
            Assert.That(settings.RevocationUrl, Is.Null);
            Assert.That(settings.Issuer, Is.Null);
        });
    }

    [Test]
    public void The_default_provider_is_the_generic_one()
    {
        _environment.Remove("INPUT_PROVIDER");
        _environment.Remove("INPUT_TENANTID");
        Set("tokenUrl", "https://studio.example.com/api/v2/oauth/token");

        Assert.That(ReadValid().Entra, Is.Null);
    }

    [Test]
    public void A_sovereign_clouds_authority_host_and_explicit_scopes_are_taken()
    {
        Set("authorityHost", "https://login.microsoftonline.us");
        _environment.Remove("INPUT_RESOURCE");
        Set("scope", "api://studio/.default");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Entra!.Settings.AuthorityHost, Is.EqualTo(new Uri("https://login.microsoftonline.us")));
            Assert.That(settings.Entra.Settings.Scopes, Is.EqualTo(new[] { "api://studio/.default" }));
            Assert.That(settings.Request.TokenUrl.Host, Is.EqualTo("login.microsoftonline.us"));
        });
    }

    [Test]
    public void A_studio_oauth_connection_gives_the_client_id_and_secret_but_not_its_url_or_revocation_url()
    {
        _environment.Remove("INPUT_CLIENTID");
        _environment.Remove("INPUT_CLIENTSECRET");
        Set("connectedService", ConnectionId);
        _environment["ENDPOINT_URL_" + ConnectionId] = "https://conn.example.com/oauth/token";
        _environment[$"ENDPOINT_AUTH_PARAMETER_{ConnectionId}_USERNAME"] = "conn-client";
        _environment[$"ENDPOINT_AUTH_PARAMETER_{ConnectionId}_PASSWORD"] = SecretValue;
        _environment[$"ENDPOINT_DATA_{ConnectionId}_REVOCATIONURL"] = "https://conn.example.com/oauth/revoke";

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.ClientId, Is.EqualTo("conn-client"));
            Assert.That(((EntraCredential.ClientSecret)settings.Entra!.Settings.Credential).Value.Reveal(), Is.EqualTo(SecretValue));
            Assert.That(settings.Request.TokenUrl.Host, Is.EqualTo("login.microsoftonline.com"));
            Assert.That(settings.RevocationUrl, Is.Null);
        });
    }

    [Test]
    public void Azure_oidc_is_the_federated_credential_and_reaches_the_refresher_as_its_connection()
    {
        Set("clientAuth", "azure_oidc");
        _environment.Remove("INPUT_CLIENTSECRET");
        Set("oidcServiceConnection", AzureConnection);
        _environment["ENDPOINT_URL_" + AzureConnection] = "https://management.azure.com/";
        _environment["ENDPOINT_AUTH_SCHEME_" + AzureConnection] = "WorkloadIdentityFederation";
        _environment["SYSTEM_OIDCREQUESTURI"] = "https://dev.azure.com/org/project-id/_apis/distributedtask/hubs/build/plans/plan-id/jobs/job-id/oidctoken";
        _environment["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"] = AccessToken;

        var settings = ReadValid();
        var variables = RefresherProcess.Variables(settings, "/tmp/dir").ToDictionary(v => v.Key, v => v.Value);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Entra!.Settings.Credential, Is.InstanceOf<EntraCredential.FederatedAssertion>());
            Assert.That(settings.Request.AssertionSource!.Audience, Is.EqualTo("api://AzureADTokenExchange"));
            Assert.That(variables["STUDIO_CLIENT_AUTH"], Is.EqualTo("azure_oidc"));
            Assert.That(variables[ClientCredentialInputs.AzureServiceConnectionVariable], Is.EqualTo(AzureConnection));
            Assert.That(RefresherHandOver.SecretsOf(settings).Single().Key, Is.EqualTo(RefresherHandOver.AccessToken));
        });
    }

    [Test]
    public void The_refresher_gets_the_tenant_and_cloud_and_no_token_url()
    {
        Set("authorityHost", "https://login.microsoftonline.us");

        var settings = ReadValid();
        var variables = RefresherProcess.Variables(settings, "/tmp/dir").ToDictionary(v => v.Key, v => v.Value);

        Assert.Multiple(() =>
        {
            Assert.That(variables, Does.Not.ContainKey("STUDIO_TOKEN_URL"));
            Assert.That(variables["STUDIO_PROVIDER"], Is.EqualTo("entra"));
            Assert.That(variables["STUDIO_TENANT_ID"], Is.EqualTo(Tenant));
            Assert.That(variables["STUDIO_AUTHORITY_HOST"], Is.EqualTo("https://login.microsoftonline.us/"));
            Assert.That(variables["STUDIO_RESOURCE"], Is.EqualTo("https://management.azure.com/"));
            Assert.That(variables.Values, Has.None.Contains(SecretValue));
            Assert.That(RefresherHandOver.SecretsOf(settings).Single().Key, Is.EqualTo(RefresherHandOver.ClientSecret));
        });
    }

    [Test]
    public void A_certificate_file_is_the_credential_and_the_refresher_gets_its_path_and_password_on_standard_input()
    {
        _environment.Remove("INPUT_CLIENTSECRET");
        Set("certificateFile", WritePfx(CertificatePassword));
        Set("certificatePassword", CertificatePassword);

        var settings = ReadValid();
        var variables = RefresherProcess.Variables(settings, "/tmp/dir").ToDictionary(v => v.Key, v => v.Value);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Entra!.Settings.Credential, Is.InstanceOf<EntraCredential.ClientCertificate>());
            Assert.That(variables["STUDIO_CERTIFICATE_FILE"], Is.EqualTo(_temp.Combine("app.pfx")));
            Assert.That(variables, Does.Not.ContainKey("STUDIO_CLIENT_AUTH"), "the CLI refuses a client-auth method beside a certificate");
            Assert.That(variables.Values, Has.None.Contains(CertificatePassword));
            Assert.That(RefresherHandOver.SecretsOf(settings).Single().Key, Is.EqualTo(RefresherHandOver.CertificatePassword));
            Assert.That(Inputs.Secrets().Select(s => s.Reveal()), Does.Contain(CertificatePassword));
        });
    }

    [Test]
    public void A_certificate_with_a_client_secret_or_another_method_is_one_error_each()
    {
        Set("certificateFile", WritePfx(null));
        Set("clientAuth", "client_secret_post");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[] { "clientSecret", "clientAuth" }));
    }

    [Test]
    public void An_unreadable_certificate_is_an_input_error_that_does_not_quote_the_file()
    {
        _environment.Remove("INPUT_CLIENTSECRET");
        var path = _temp.Combine("not-a-certificate.pem");
        File.WriteAllText(path, "-----BEGIN NOTHING-----\nc2VjcmV0LWJ5dGVz\n-----END NOTHING-----\n");
        Set("certificateFile", path);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("certificateFile"));
            Assert.That(error.Message, Does.Contain("no certificate with its private key").And.Not.Contain("c2VjcmV0"));
        });
    }

    [Test]
    public void Every_input_entra_has_no_use_for_is_an_error_saying_why_all_at_once()
    {
        Set("tokenUrl", "https://studio.example.com/api/v2/oauth/token");
        Set("issuer", "https://id.example.com");
        Set("audience", "https://api.example.com");
        Set("revocationUrl", "https://studio.example.com/api/v2/oauth/revoke");

        var errors = ReadInvalid();

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[] { "tokenUrl", "issuer", "audience", "revocationUrl" }));
            Assert.That(errors.Single(e => e.Input == "tokenUrl").Message, Does.Contain("the tenant's"));
            Assert.That(errors.Single(e => e.Input == "revocationUrl").Message, Does.Contain("Entra ID has no revocation endpoint"));
        });
    }

    [Test]
    public void Without_a_credential_the_error_names_the_ones_entra_takes()
    {
        _environment.Remove("INPUT_CLIENTSECRET");

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("clientSecret"));
            Assert.That(error.Message, Does.Contain("certificateFile, or clientAuth azure_oidc").And.Not.Contain("private_key_jwt"));
        });
    }

    [Test]
    public void Private_key_jwt_with_entra_points_to_the_certificate()
    {
        Set("clientAuth", "private_key_jwt");
        _environment.Remove("INPUT_CLIENTSECRET");

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("clientAuth"));
            Assert.That(error.Message, Does.Contain("certificateFile"));
        });
    }

    [TestCase("", "is required")]
    [TestCase("common", "names no tenant")]
    [TestCase("contoso/../x", "directory (tenant) id")]
    public void A_missing_or_unusable_tenant_is_an_error(string tenant, string problem)
    {
        Set("tenantId", tenant);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("tenantId"));
            Assert.That(error.Message, Does.Contain(problem));
        });
    }

    [TestCase("http://login.microsoftonline.us")]
    [TestCase("https://login.microsoftonline.us/tenant")]
    [TestCase("login.microsoftonline.us")]
    public void An_authority_host_that_is_not_an_https_host_alone_is_an_error(string host)
    {
        Set("authorityHost", host);

        Assert.That(ReadInvalid().Single().Input, Is.EqualTo("authorityHost"));
    }

    [Test]
    public void Neither_scope_nor_resource_is_an_error_and_so_is_both()
    {
        _environment.Remove("INPUT_RESOURCE");
        Assert.That(ReadInvalid().Single().Input, Is.EqualTo("resource"));

        Set("resource", "https://management.azure.com");
        Set("scope", "api://studio/.default");
        Assert.That(ReadInvalid().Single().Input, Is.EqualTo("scope"));
    }

    [Test]
    public void Entra_only_inputs_with_the_generic_provider_are_errors_and_an_unknown_provider_is_one()
    {
        Set("provider", "oauth");
        Set("tokenUrl", "https://studio.example.com/api/v2/oauth/token");
        Set("authorityHost", "https://login.microsoftonline.us");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EquivalentTo(new[] { "tenantId", "authorityHost" }));

        Set("provider", "okta");
        Assert.That(ReadInvalid().Select(e => e.Input), Does.Contain("provider"));
    }
}
