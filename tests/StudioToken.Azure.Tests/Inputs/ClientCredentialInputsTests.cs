using System.Security.Cryptography;
using StudioToken.Azure.Inputs;
using StudioToken.Core.OAuth;
using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Inputs;

/// <summary>The inputs that say how the task authenticates: a secret, a private key, or the job's Azure OIDC token.</summary>
[TestFixture]
public sealed class ClientCredentialInputsTests
{
    private const string SecretValue = "hunter2-Zq9;%]client-secret";
    private const string AccessToken = "job-access-token-%;]Zz9";
    private const string AzureConnection = "3f2c9d4e-7b1a-4c2e-8d90-0a1b2c3d4e5f";
    private const string StudioConnection = "6f1c3b9e-2d4a-4c8e-9f00-1a2b3c4d5e6f";

    private static readonly string KeyPem = NewKeyPem();

    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["INPUT_TOKENURL"] = "https://studio.example.com/api/v2/oauth/token",
        ["INPUT_CLIENTID"] = "ci-client",
    };

    private TaskInputs Inputs => new(name => _environment.TryGetValue(name, out var value) ? value : null);

    private void Set(string input, string value) => _environment["INPUT_" + input.ToUpperInvariant()] = value;

    private TaskSettings ReadValid()
    {
        var settings = Inputs.TryRead(out var errors);
        Assert.That(errors, Is.Empty, () => string.Join("; ", errors.Select(e => $"{e.Input}: {e.Message}")));
        return settings ?? throw new AssertionException("no settings although there were no errors");
    }

    private IReadOnlyList<TaskInputError> ReadInvalid()
    {
        var settings = Inputs.TryRead(out var errors);
        Assert.That(settings, Is.Null);
        Assert.That(errors, Is.Not.Empty);
        var printed = string.Join("\n", errors.Select(e => $"{e.Input}: {e.Message}"));
        SecretScan.AssertAbsent(printed, SecretValue, "an input error");
        SecretScan.AssertAbsent(printed, AccessToken, "an input error");
        foreach (var line in KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)))
        {
            SecretScan.AssertAbsent(printed, line, "an input error");
        }

        Assert.That(errors.Select(e => e.Message), Has.None.Contains("\n"), "every error is one line");
        return errors;
    }

    /// <summary>What the agent gives a task whose pipeline may use an Azure Resource Manager workload identity federation connection.</summary>
    private void UseAzureOidc()
    {
        Set("clientAuth", "azure_oidc");
        Set("oidcServiceConnection", AzureConnection);
        _environment["ENDPOINT_URL_" + AzureConnection] = "https://management.azure.com/";
        _environment["ENDPOINT_AUTH_SCHEME_" + AzureConnection] = "WorkloadIdentityFederation";
        _environment["SYSTEM_OIDCREQUESTURI"] = "https://dev.azure.com/org/project-id/_apis/distributedtask/hubs/build/plans/plan-id/jobs/job-id/oidctoken";
        _environment["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"] = AccessToken;
    }

    [Test]
    public void Private_key_jwt_takes_the_key_its_id_audience_and_type_and_no_secret()
    {
        Set("clientAuth", "private_key_jwt");
        Set("privateKey", KeyPem);
        Set("keyId", "key-2026");
        Set("assertionAudience", "https://id.example.com/");
        Set("assertionType", "client-authentication+jwt");

        var settings = ReadValid();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.PrivateKeyJwt));
            Assert.That(settings.Request.ClientSecret, Is.Null);
            Assert.That(settings.Request.ClientAssertionKey!.PrivateKeyPem.Reveal(), Is.EqualTo(KeyPem.Trim()));
            Assert.That(settings.Request.ClientAssertionKey.KeyId, Is.EqualTo("key-2026"));
            Assert.That(settings.Request.ClientAssertionKey.Audience, Is.EqualTo("https://id.example.com/"));
            Assert.That(settings.Request.ClientAssertionKey.Type, Is.EqualTo("client-authentication+jwt"));
            Assert.That(settings.AzureOidc, Is.Null);
        }
    }

    [TestCase("escaped")]
    [TestCase("folded")]
    public void A_key_from_a_one_line_variable_store_is_read_as_PEM(string form)
    {
        Set("clientAuth", "private_key_jwt");
        Set("privateKey", form == "escaped" ? KeyPem.Trim().Replace("\n", "\\n", StringComparison.Ordinal) : KeyPem.Trim().Replace('\n', ' '));

        var settings = ReadValid();

        Assert.That(settings.Request.ClientAssertionKey!.PrivateKeyPem.Reveal(), Is.EqualTo(KeyPem.Trim()));
    }

    [Test]
    public void Private_key_jwt_without_a_key_says_to_give_one()
    {
        Set("clientAuth", "private_key_jwt");

        var errors = ReadInvalid();

        Assert.That(errors.Single().Input, Is.EqualTo("privateKey"));
        Assert.That(errors.Single().Message, Does.Contain("PEM").And.Contain("secret variable"));
    }

    [Test]
    public void An_unusable_key_is_a_privateKey_error_that_does_not_quote_it()
    {
        Set("clientAuth", "private_key_jwt");
        Set("privateKey", KeyPem.Replace("PRIVATE KEY", "PUBLIC KEY", StringComparison.Ordinal));

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "privateKey" }));
    }

    [TestCase("private_key_jwt")]
    [TestCase("azure_oidc")]
    public void A_secret_with_a_method_that_takes_none_is_a_clientSecret_error(string method)
    {
        UseAzureOidc();
        Set("clientAuth", method);
        Set("privateKey", KeyPem);
        Set("clientSecret", SecretValue);
        if (method == "azure_oidc")
        {
            _environment.Remove("INPUT_PRIVATEKEY");
        }

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "clientSecret" }));
        Assert.That(errors.Single().Message, Does.Contain(method).And.Contain("remove clientSecret"));
    }

    [Test]
    public void A_key_with_a_secret_method_is_a_privateKey_error()
    {
        Set("clientSecret", SecretValue);
        Set("clientAuth", "client_secret_basic");
        Set("privateKey", KeyPem);

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "privateKey" }));
        Assert.That(errors.Single().Message, Does.Contain("clientAuth: private_key_jwt"));
    }

    [Test]
    public void A_studio_connection_gives_url_and_client_id_to_a_key_client_and_its_password_is_not_used()
    {
        _environment.Remove("INPUT_TOKENURL");
        _environment.Remove("INPUT_CLIENTID");
        Set("connectedService", StudioConnection);
        _environment["ENDPOINT_URL_" + StudioConnection] = "https://conn.example.com/oauth/token";
        _environment[$"ENDPOINT_AUTH_PARAMETER_{StudioConnection}_USERNAME"] = "conn-client";
        _environment[$"ENDPOINT_AUTH_PARAMETER_{StudioConnection}_PASSWORD"] = SecretValue;
        Set("clientAuth", "private_key_jwt");
        Set("privateKey", KeyPem);

        var settings = ReadValid();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Request.ClientId, Is.EqualTo("conn-client"));
            Assert.That(settings.Request.ClientSecret, Is.Null);
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.PrivateKeyJwt));
        }
    }

    [Test]
    public void Secrets_are_the_key_whole_and_line_by_line_for_masking()
    {
        Set("clientAuth", "private_key_jwt");
        Set("privateKey", KeyPem);

        var secrets = Inputs.Secrets().Select(secret => secret.Reveal()).ToList();

        var bodyLines = KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal));
        Assert.That(secrets, Does.Contain(KeyPem.Trim()));
        Assert.That(secrets, Is.SupersetOf(bodyLines));
        Assert.That(secrets.Where(secret => !secret.Contains('\n', StringComparison.Ordinal)), Has.None.StartWith("-----"), "the PEM's header lines alone are not secrets");
    }

    [TestCase("ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN")]
    [TestCase("SYSTEM_ACCESSTOKEN")]
    public void Azure_oidc_takes_the_connection_the_request_uri_and_the_jobs_access_token(string accessTokenVariable)
    {
        UseAzureOidc();
        _environment.Remove("ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN");
        _environment[accessTokenVariable] = AccessToken;

        var settings = ReadValid();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.AzureOidc));
            Assert.That(settings.Request.AssertionSource, Is.Not.Null);
            Assert.That(settings.Request.ClientSecret, Is.Null);
            Assert.That(settings.Request.Grant, Is.EqualTo(TokenGrant.ClientCredentials));
            Assert.That(settings.AzureOidc!.ServiceConnectionId, Is.EqualTo(AzureConnection));
            Assert.That(settings.AzureOidc.RequestUri.AbsoluteUri, Is.EqualTo(_environment["SYSTEM_OIDCREQUESTURI"]));
            Assert.That(settings.AzureOidc.AccessToken.Reveal(), Is.EqualTo(AccessToken));
            Assert.That(Inputs.Secrets().Select(secret => secret.Reveal()), Does.Contain(AccessToken), "the access token is masked as well");
        }
    }

    [Test]
    public void Azure_oidc_without_the_jobs_access_token_says_to_map_System_AccessToken()
    {
        UseAzureOidc();
        _environment.Remove("ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN");
        _environment["SYSTEM_ACCESSTOKEN"] = "$(System.AccessToken)";

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "clientAuth" }));
        Assert.That(errors.Single().Message, Does.Contain("SYSTEM_ACCESSTOKEN: $(System.AccessToken)"));
    }

    [Test]
    public void Azure_oidc_without_an_oidc_request_uri_names_System_OidcRequestUri()
    {
        UseAzureOidc();
        _environment.Remove("SYSTEM_OIDCREQUESTURI");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "clientAuth" }));
        Assert.That(errors.Single().Message, Does.Contain("System.OidcRequestUri"));
    }

    [Test]
    public void Azure_oidc_needs_a_workload_identity_federation_connection_the_job_can_use()
    {
        UseAzureOidc();
        _environment.Remove("INPUT_OIDCSERVICECONNECTION");
        Assert.That(ReadInvalid().Single().Input, Is.EqualTo("oidcServiceConnection"));

        Set("oidcServiceConnection", "11111111-2222-3333-4444-555555555555");
        Assert.That(ReadInvalid().Single().Message, Does.Contain("not a service connection this job can use"));

        Set("oidcServiceConnection", AzureConnection);
        _environment["ENDPOINT_AUTH_SCHEME_" + AzureConnection] = "ServicePrincipal";
        Assert.That(ReadInvalid().Single().Message, Does.Contain("ServicePrincipal").And.Contain("workload identity federation"));
    }

    [Test]
    public void Token_exchange_goes_with_azure_oidc_only()
    {
        UseAzureOidc();
        Set("grant", "token-exchange");
        Assert.That(ReadValid().Request.Grant, Is.EqualTo(TokenGrant.TokenExchange));

        Set("clientAuth", "client_secret_basic");
        Set("clientSecret", SecretValue);
        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "grant" }));

        Set("grant", "password");
        Assert.That(ReadInvalid().Single().Message, Does.Contain("client_credentials (default) or token-exchange"));
    }

    [Test]
    public void Github_oidc_is_not_offered_on_Azure_Pipelines()
    {
        Set("clientAuth", "github_oidc");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "clientAuth" }));
    }

    private static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
