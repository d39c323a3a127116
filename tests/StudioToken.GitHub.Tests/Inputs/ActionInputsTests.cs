using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.GitHub.Inputs;
using StudioToken.Testing;

namespace StudioToken.GitHub.Tests.Inputs;

[TestFixture]
public sealed class ActionInputsTests
{
    private const string SecretValue = "hunter2-Zq9!client-secret";
    private const string IdTokenRequestToken = "id-token-request-token-Xy7";

    // Made for this run: no key lives in the repository.
    private static readonly string KeyPem = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    private Dictionary<string, string> _environment = null!;

    // Never sends: a request through it fails the test.
    private RecordingHttpHandler _idTokenEndpoint = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp()
    {
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["INPUT_TOKEN-URL"] = "https://studio.example.com/api/v2/oauth/token",
            ["INPUT_CLIENT-ID"] = "ci-client",
            ["INPUT_CLIENT-SECRET"] = SecretValue,
        };
        _idTokenEndpoint = new RecordingHttpHandler();
        _http = new HttpClient(_idTokenEndpoint);
    }

    [TearDown]
    public void TearDown()
    {
        _http.Dispose();
        _idTokenEndpoint.Dispose();
    }

    private ActionInputs Inputs() => new(name => _environment.TryGetValue(name, out var value) ? value : null, _http, new FakeTimeProvider());

    private ActionSettings? Read(out IReadOnlyList<InputError> errors) => Inputs().TryRead(out errors);

    private ActionSettings ReadValid()
    {
        var settings = Read(out var errors);
        Assert.That(errors, Is.Empty, () => string.Join("; ", errors));
        return settings ?? throw new AssertionException("no settings although there were no errors");
    }

    private IReadOnlyList<InputError> ReadInvalid()
    {
        var settings = Read(out var errors);
        Assert.Multiple(() =>
        {
            Assert.That(settings, Is.Null);
            Assert.That(errors, Is.Not.Empty);
            Assert.That(errors.Select(e => e.Message + " " + e.Input), Has.None.Contains(SecretValue));
        });
        return errors;
    }

    /// <summary>The one error, which must be about <paramref name="input"/>.</summary>
    private InputError OnlyError(string input)
    {
        var error = ReadInvalid().Single();
        Assert.That(error.Input, Is.EqualTo(input), error.Message);
        return error;
    }

    private void Set(string input, string value) => _environment["INPUT_" + input.ToUpperInvariant()] = value;

    /// <summary>github_oidc, in a job that may ask for ID tokens, and no secret.</summary>
    private void UseGitHubOidc()
    {
        _environment.Remove("INPUT_CLIENT-SECRET");
        SetRunnerIdTokenVariables();
        Set("client-auth", "github_oidc");
    }

    /// <summary>What the runner sets for a job with <c>permissions: id-token: write</c>.</summary>
    private void SetRunnerIdTokenVariables()
    {
        _environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://pipelines.example.com/00000000/idtoken?api-version=2.0";
        _environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = IdTokenRequestToken;
    }

    [Test]
    public void Reads_the_minimal_inputs_and_applies_the_defaults()
    {
        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri("https://studio.example.com/api/v2/oauth/token")));
            Assert.That(settings.Request.ClientId, Is.EqualTo("ci-client"));
            Assert.That(settings.Request.ClientSecret?.Reveal(), Is.EqualTo(SecretValue));
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretBasic));
            Assert.That(settings.Request.Scope, Is.Null);
            Assert.That(settings.Request.Audience, Is.Null);
            Assert.That(settings.Request.Resources, Is.Empty);
            Assert.That(settings.Request.ExtraParameters, Is.Empty);
            Assert.That(settings.EnvName, Is.EqualTo("STUDIO_TOKEN"));
            Assert.That(settings.TokenDir, Is.Null);
            Assert.That(settings.Refresh, Is.True);
            Assert.That(settings.Revoke, Is.True);
            Assert.That(settings.Summary, Is.True);
            Assert.That(settings.RefreshPolicy.RefreshAt, Is.EqualTo(0.5));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(settings.RevocationUrl, Is.Null);
            Assert.That(settings.GitHubToken, Is.Null);
        });
    }

    [Test]
    public void Reads_inputs_by_the_runners_names_upper_case_with_hyphens_kept()
    {
        _environment.Clear();
        _environment["INPUT_token-url"] = "https://wrong.example.com/lower-case";
        _environment["INPUT_TOKEN_URL"] = "https://wrong.example.com/underscore";
        _environment["INPUT_TOKEN-URL"] = "https://studio.example.com/token";
        _environment["INPUT_CLIENT-ID"] = "ci-client";
        _environment["INPUT_CLIENT-SECRET"] = SecretValue;
        _environment["INPUT_ENV-NAME"] = "MY_TOKEN";
        _environment["INPUT_MAX-LIFETIME"] = "2h";
        _environment["INPUT_GITHUB-TOKEN"] = "ghs_abc";

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.TokenUrl.AbsoluteUri, Is.EqualTo("https://studio.example.com/token"));
            Assert.That(settings.EnvName, Is.EqualTo("MY_TOKEN"));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(settings.GitHubToken?.Reveal(), Is.EqualTo("ghs_abc"));
        });
    }

    [Test]
    public void Get_uses_the_runners_name_for_an_input()
    {
        _environment["INPUT_OIDC-AUDIENCE"] = "api://studio";
        var inputs = Inputs();

        Assert.Multiple(() =>
        {
            Assert.That(inputs.Get("oidc-audience"), Is.EqualTo("api://studio"));
            Assert.That(inputs.Get("Oidc-Audience"), Is.EqualTo("api://studio"));
            Assert.That(inputs.Get("scope"), Is.Null);
        });
    }

    [Test]
    public void Reads_every_optional_input()
    {
        Set("client-auth", "client_secret_post");
        Set("scope", "studio:script studio:read");
        Set("audience", "https://api.studio.example.com");
        Set("resource", "https://a.example.com/ https://b.example.com/\nurn:studio:api");
        Set("extra-params", "tenant=acme&region=eu%2Dwest\nflag=a%3Db");
        Set("token-dir", "/home/runner/work/_temp/tokens");
        Set("refresh", "false");
        Set("refresh-at", "0.75");
        Set("max-lifetime", "90m");
        Set("revoke", "False");
        Set("revocation-url", "https://studio.example.com/api/v2/oauth/revoke");
        Set("summary", "FALSE");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(settings.Request.Scope, Is.EqualTo("studio:script studio:read"));
            Assert.That(settings.Request.Audience, Is.EqualTo("https://api.studio.example.com"));
            Assert.That(settings.Request.Resources.Select(r => r.OriginalString), Is.EqualTo(new[] { "https://a.example.com/", "https://b.example.com/", "urn:studio:api" }));
            Assert.That(settings.Request.ExtraParameters, Is.EqualTo(new KeyValuePair<string, string>[] { new("tenant", "acme"), new("region", "eu-west"), new("flag", "a=b") }));
            Assert.That(settings.TokenDir, Is.EqualTo("/home/runner/work/_temp/tokens"));
            Assert.That(settings.Refresh, Is.False);
            Assert.That(settings.RefreshPolicy.RefreshAt, Is.EqualTo(0.75));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(settings.Revoke, Is.False);
            Assert.That(settings.RevocationUrl, Is.EqualTo(new Uri("https://studio.example.com/api/v2/oauth/revoke")));
            Assert.That(settings.Summary, Is.False);
        });
    }

    [Test]
    public void Reports_every_bad_input_at_once()
    {
        Set("token-url", "not a url");
        _environment.Remove("INPUT_CLIENT-ID");
        Set("refresh-at", "1.5");
        Set("max-lifetime", "forever");
        Set("refresh", "yes");
        Set("revoke", "no");
        Set("summary", "on");
        Set("env-name", "1ABC");
        Set("revocation-url", "ftp://studio.example.com/revoke");
        Set("extra-params", "tenant");
        Set("resource", "not-absolute");
        Set("client-auth", "magic");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[]
        {
            "token-url", "client-id", "refresh-at", "max-lifetime", "refresh", "revoke", "summary", "env-name",
            "revocation-url", "extra-params", "resource", "client-auth",
        }));
    }

    [Test]
    public void Reports_problems_the_token_request_finds_together_with_each_other()
    {
        Set("token-url", "http://studio.example.com/api/v2/oauth/token");
        Set("scope", "studio:\"script\"");
        Set("extra-params", "client_secret=x");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[] { "token-url", "scope", "extra-params" }));
    }

    [Test]
    public void Reports_the_missing_required_inputs_together()
    {
        _environment.Clear();

        var errors = ReadInvalid();

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[] { "token-url", "client-id", "client-secret" }));
            Assert.That(errors.Single(e => e.Input == "client-secret").Message, Does.Contain("secrets."));
        });
    }

    [Test]
    public void Without_a_token_url_or_an_issuer_the_error_names_both_ways()
    {
        _environment.Remove("INPUT_TOKEN-URL");

        Assert.That(OnlyError("token-url").Message, Does.Contain("is required").And.Contain("or give issuer"));
    }

    [Test]
    public void An_issuer_alone_stands_in_for_the_token_url_until_discovery()
    {
        _environment.Remove("INPUT_TOKEN-URL");
        Set("issuer", "https://id.example.com");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Issuer, Is.EqualTo(new Uri("https://id.example.com/")));
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(settings.Issuer));
            Assert.That(settings.GivenTokenUrl, Is.Null, "discovery names the token endpoint");
        });
    }

    [Test]
    public void An_issuer_with_a_token_url_keeps_the_token_url_to_win_over_discovery()
    {
        Set("issuer", "https://id.example.com");

        var settings = ReadValid();

        Assert.That(settings.GivenTokenUrl, Is.EqualTo(new Uri("https://studio.example.com/api/v2/oauth/token")));
    }

    [TestCase("client_secret_basic", null)]
    [TestCase("client_secret_post", ClientAuthMethod.ClientSecretPost)]
    public void Client_secret_basic_the_default_leaves_discovery_free_to_fall_back_to_post(string method, ClientAuthMethod? expected)
    {
        Set("issuer", "https://id.example.com");
        Set("client-auth", method);

        Assert.That(ReadValid().ChosenMethod, Is.EqualTo(expected));
    }

    [TestCase("id.example.com", "is not an absolute URL")]
    [TestCase("http://id.example.com", "uses http://")]
    [TestCase("https://id.example.com/?tenant=1", "must not contain a ?query")]
    public void Rejects_an_issuer_discovery_could_not_trust(string issuer, string problem)
    {
        _environment.Remove("INPUT_TOKEN-URL");
        Set("issuer", issuer);

        Assert.That(OnlyError("issuer").Message, Does.Contain(problem));
    }

    [TestCase("   ")]
    [TestCase("\n")]
    public void A_blank_client_secret_is_missing(string blank)
    {
        Set("client-secret", blank);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "client-secret" }));
    }

    [TestCase("true", true)]
    [TestCase("True", true)]
    [TestCase("TRUE", true)]
    [TestCase("false", false)]
    [TestCase("False", false)]
    [TestCase("FALSE", false)]
    [TestCase(" false\n", false)]
    public void Reads_the_YAML_core_booleans(string text, bool expected)
    {
        Set("refresh", text);
        Set("revoke", text);
        Set("summary", text);

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Refresh, Is.EqualTo(expected));
            Assert.That(settings.Revoke, Is.EqualTo(expected));
            Assert.That(settings.Summary, Is.EqualTo(expected));
        });
    }

    [TestCase("yes")]
    [TestCase("no")]
    [TestCase("on")]
    [TestCase("1")]
    [TestCase("0")]
    [TestCase("tRUE")]
    [TestCase("y")]
    public void Rejects_what_is_not_a_YAML_core_boolean(string text)
    {
        Set("refresh", text);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("refresh"));
            Assert.That(error.Message, Does.Contain($"'{text}'").And.Contain("true or false"));
        });
    }

    [TestCase("1ABC")]
    [TestCase("A-B")]
    [TestCase("A B")]
    [TestCase("A=B")]
    [TestCase("NODE_OPTIONS")]
    [TestCase("node_options")]
    [TestCase("TÖKEN")]
    public void Rejects_an_env_name_the_runner_would_not_set(string name)
    {
        Set("env-name", name);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "env-name" }));
    }

    [TestCase("_TOKEN")]
    [TestCase("studio_token_2")]
    public void Accepts_an_env_name_with_letters_digits_and_underscores(string name)
    {
        Set("env-name", name);

        Assert.That(ReadValid().EnvName, Is.EqualTo(name));
    }

    [TestCase("0")]
    [TestCase("1")]
    [TestCase("1.5")]
    [TestCase("-0.5")]
    [TestCase("half")]
    [TestCase("0,5")]
    public void Rejects_a_refresh_at_that_is_not_a_fraction_between_0_and_1(string text)
    {
        Set("refresh-at", text);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "refresh-at" }));
    }

    [TestCase("forever")]
    [TestCase("0")]
    [TestCase("0s")]
    [TestCase("-1h")]
    [TestCase("6 hours")]
    public void Rejects_a_max_lifetime_that_is_not_a_positive_duration(string text)
    {
        Set("max-lifetime", text);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "max-lifetime" }));
    }

    [TestCase("not a url")]
    [TestCase("ftp://studio.example.com/revoke")]
    [TestCase("studio.example.com/revoke")]
    public void Rejects_a_revocation_url_that_is_not_absolute_http(string text)
    {
        Set("revocation-url", text);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "revocation-url" }));
    }

    [Test]
    public void Reports_a_plain_http_revocation_url_to_a_non_loopback_host_which_would_send_the_secret_in_clear()
    {
        Set("revocation-url", "http://studio.example.com/api/v2/oauth/revoke");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "revocation-url" }));
    }

    [TestCase("tenant")]
    [TestCase("=acme")]
    [TestCase("a=b&tenant")]
    public void Rejects_extra_params_without_a_name_and_equals_sign(string text)
    {
        Set("extra-params", text);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("extra-params"));
            Assert.That(error.Message, Does.Contain("name=value"));
        });
    }

    [TestCase("client_secret=x")]
    [TestCase("grant_type=password")]
    public void Rejects_extra_params_that_would_override_what_the_tool_sends(string text)
    {
        Set("extra-params", text);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "extra-params" }));
    }

    [TestCase("not-absolute")]
    [TestCase("api.example.com")]
    [TestCase("/api", TestName = "Rejects_a_resource_written_as_a_bare_path")]
    [TestCase("https://api.example.com/#fragment")]
    public void Rejects_a_resource_that_is_not_an_absolute_URI(string text)
    {
        Set("resource", "https://ok.example.com/ " + text);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "resource" }));
    }

    [Test]
    public void Private_key_jwt_takes_the_key_and_its_assertion_settings_and_no_secret()
    {
        _environment.Remove("INPUT_CLIENT-SECRET");
        Set("client-auth", "private_key_jwt");
        Set("private-key", "\n" + KeyPem + "\n");
        Set("key-id", "key-2026");
        Set("assertion-audience", "https://id.example.com/");
        Set("assertion-type", "client-authentication+jwt");

        var request = ReadValid().Request;

        Assert.Multiple(() =>
        {
            Assert.That(request.AuthMethod, Is.EqualTo(ClientAuthMethod.PrivateKeyJwt));
            Assert.That(request.ClientSecret, Is.Null);
            Assert.That(request.ClientAssertionKey?.PrivateKeyPem.Reveal(), Is.EqualTo(KeyPem.Trim()));
            Assert.That(request.ClientAssertionKey?.KeyId, Is.EqualTo("key-2026"));
            Assert.That(request.ClientAssertionKey?.Audience, Is.EqualTo("https://id.example.com/"));
            Assert.That(request.ClientAssertionKey?.Type, Is.EqualTo("client-authentication+jwt"));
        });
    }

    [Test]
    public void Private_key_jwt_defaults_to_the_token_url_as_audience_and_typ_JWT()
    {
        _environment.Remove("INPUT_CLIENT-SECRET");
        Set("client-auth", "private_key_jwt");
        Set("private-key", KeyPem);

        var key = ReadValid().Request.ClientAssertionKey;

        Assert.Multiple(() =>
        {
            Assert.That(key?.KeyId, Is.Null);
            Assert.That(key?.Audience, Is.Null);
            Assert.That(key?.Type, Is.EqualTo(ClientAssertionKey.DefaultType));
        });
    }

    [Test]
    public void Private_key_jwt_without_a_key_asks_for_one_from_a_secret()
    {
        _environment.Remove("INPUT_CLIENT-SECRET");
        Set("client-auth", "private_key_jwt");

        var error = OnlyError("private-key");

        Assert.That(error.Message, Does.Contain("secrets.").And.Not.Contain("\n"));
    }

    [Test]
    public void Private_key_jwt_with_a_client_secret_as_well_says_to_remove_the_secret()
    {
        Set("client-auth", "private_key_jwt");
        Set("private-key", KeyPem);

        var error = OnlyError("client-secret");

        Assert.That(error.Message, Does.Contain("remove client-secret").And.Not.Contain("\n"));
    }

    [TestCase("client_secret_basic")]
    [TestCase("client_secret_post")]
    public void A_private_key_with_a_secret_method_says_to_choose_private_key_jwt_or_remove_the_key(string method)
    {
        Set("client-auth", method);
        Set("private-key", KeyPem);

        var error = OnlyError("private-key");

        Assert.That(error.Message, Does.Contain("client-auth: private_key_jwt").And.Contain("remove private-key").And.Not.Contain("\n"));
    }

    [TestCase("not a key")]
    [TestCase("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----")]
    public void An_unusable_private_key_is_reported_without_quoting_it(string pem)
    {
        _environment.Remove("INPUT_CLIENT-SECRET");
        Set("client-auth", "private_key_jwt");
        Set("private-key", pem);

        var error = OnlyError("private-key");

        Assert.That(error.Message, Does.Not.Contain(pem).And.Not.Contain("MFkwEwYHKoZIzj0CAQYI"));
    }

    [TestCase("key-id", "k1")]
    [TestCase("assertion-audience", "https://id.example.com/")]
    [TestCase("assertion-type", "client-authentication+jwt")]
    public void A_private_key_jwt_setting_with_another_method_is_reported(string input, string value)
    {
        Set(input, value);

        var error = OnlyError(input);

        Assert.That(error.Message, Does.Contain("private_key_jwt"));
    }

    [Test]
    public void Github_oidc_needs_no_secret_and_asks_for_no_ID_token_while_reading_the_inputs()
    {
        UseGitHubOidc();
        Set("oidc-audience", "https://studio.example.com");

        var request = ReadValid().Request;

        Assert.Multiple(() =>
        {
            Assert.That(request.AuthMethod, Is.EqualTo(ClientAuthMethod.GitHubOidc));
            Assert.That(request.ClientSecret, Is.Null);
            Assert.That(request.ClientAssertionKey, Is.Null);
            Assert.That(request.AssertionSource?.Audience, Is.EqualTo("https://studio.example.com"));
            Assert.That(request.Grant, Is.EqualTo(TokenGrant.ClientCredentials));
            Assert.That(_idTokenEndpoint.Requests, Is.Empty, "the first ID token is asked for with the first token request");
        });
    }

    [Test]
    public async Task Github_oidc_asks_the_runners_ID_token_endpoint_with_its_request_token_for_every_assertion()
    {
        UseGitHubOidc();
        _idTokenEndpoint.ThenJson(System.Net.HttpStatusCode.OK, """{"value":"eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"}""")
            .ThenJson(System.Net.HttpStatusCode.OK, """{"value":"eyJhbGciOiJSUzI1NiJ9.eyJhIjoyfQ.c2ln"}""");
        var source = ReadValid().Request.AssertionSource!;

        var first = await source.GetAssertionAsync(CancellationToken.None);
        var second = await source.GetAssertionAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.EqualTo(second));
            Assert.That(_idTokenEndpoint.Requests, Has.Count.EqualTo(2));
            Assert.That(_idTokenEndpoint.Requests.Select(r => r.Request.Headers.Authorization?.ToString()), Has.All.EqualTo("Bearer " + IdTokenRequestToken));
        });
    }

    [TestCase("ACTIONS_ID_TOKEN_REQUEST_URL")]
    [TestCase("ACTIONS_ID_TOKEN_REQUEST_TOKEN")]
    public void Github_oidc_in_a_job_without_the_id_token_permission_is_one_line_naming_it(string missing)
    {
        UseGitHubOidc();
        _environment.Remove(missing);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("client-auth"));
            Assert.That(error.Message, Does.Contain("permissions: id-token: write").And.Not.Contain("\n"));
            Assert.That(error.Message, Does.Not.Contain(IdTokenRequestToken));
        });
    }

    [TestCase("client-secret")]
    [TestCase("private-key")]
    public void Github_oidc_with_a_secret_or_key_as_well_says_to_remove_it(string input)
    {
        UseGitHubOidc();
        Set(input, input == "private-key" ? KeyPem : SecretValue);

        var error = OnlyError(input);

        Assert.That(error.Message, Does.Contain("remove " + input).And.Contain("github_oidc"));
    }

    [Test]
    public void Github_oidc_with_grant_token_exchange_sends_the_ID_token_as_subject_of_the_given_type()
    {
        UseGitHubOidc();
        Set("grant", "token-exchange");
        Set("subject-token-type", "urn:ietf:params:oauth:token-type:id_token");

        var request = ReadValid().Request;

        Assert.Multiple(() =>
        {
            Assert.That(request.Grant, Is.EqualTo(TokenGrant.TokenExchange));
            Assert.That(request.SubjectTokenType, Is.EqualTo("urn:ietf:params:oauth:token-type:id_token"));
        });
    }

    [Test]
    public void Grant_token_exchange_with_a_client_secret_is_reported_under_grant()
    {
        Set("grant", "token-exchange");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "grant" }));
    }

    [TestCase("grant", "password")]
    [TestCase("subject-token-type", "urn:ietf:params:oauth:token-type:jwt")]
    [TestCase("oidc-audience", "https://studio.example.com")]
    public void A_grant_or_federation_setting_that_does_not_apply_is_reported(string input, string value)
    {
        Set(input, value);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { input }));
    }

    [Test]
    public void Azure_oidc_is_refused_with_a_pointer_to_github_oidc()
    {
        Set("client-auth", "azure_oidc");

        var error = OnlyError("client-auth");

        Assert.That(error.Message, Does.Contain("github_oidc"));
    }

    [Test]
    public void The_secret_inputs_are_the_client_secret_and_the_private_key_and_the_runners_request_token_is_known_to_redact()
    {
        Set("private-key", KeyPem);
        SetRunnerIdTokenVariables();

        var inputs = Inputs();

        Assert.Multiple(() =>
        {
            Assert.That(inputs.Secrets().Select(s => s.Reveal()), Is.EquivalentTo(new[] { SecretValue, KeyPem.Trim() }));
            Assert.That(inputs.IdTokenRequestToken?.Reveal(), Is.EqualTo(IdTokenRequestToken));
        });
    }

    [TestCase("magic")]
    [TestCase("client_secret_jwt")]
    [TestCase("basic")]
    public void Reports_an_unknown_client_auth_as_not_supported(string method)
    {
        Set("client-auth", method);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("client-auth"));
            Assert.That(error.Message, Does.Contain("not supported").And.Contain("client_secret_basic"));
        });
    }

    [TestCase("http://studio.example.com/api/v2/oauth/token")]
    [TestCase("http://10.0.0.5:8080/token")]
    public void Reports_plain_http_to_a_non_loopback_host_under_token_url(string url)
    {
        Set("token-url", url);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("token-url"));
            Assert.That(error.Message, Does.Contain("https://").And.Not.StartWith("token-url:"));
        });
    }

    [TestCase("http://127.0.0.1:8080/token")]
    [TestCase("http://localhost:8080/token")]
    [TestCase("http://[::1]:8080/token")]
    public void Accepts_plain_http_to_loopback(string url)
    {
        Set("token-url", url);

        Assert.That(ReadValid().Request.TokenUrl, Is.EqualTo(new Uri(url)));
    }

    [TestCase("ftp://studio.example.com/token")]
    [TestCase("https://user:pass@studio.example.com/token")]
    public void Reports_a_token_url_the_request_would_refuse_under_token_url(string url)
    {
        Set("token-url", url);

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "token-url" }));
    }

    [Test]
    public void Trims_every_value()
    {
        Set("token-url", "  https://studio.example.com/token \n");
        Set("client-id", "\tci-client  ");
        Set("client-secret", "  " + SecretValue + "\n");
        Set("scope", " studio:script ");
        Set("env-name", " MY_TOKEN\n");
        Set("refresh-at", " 0.25 ");
        Set("max-lifetime", " 3h ");
        Set("client-auth", " client_secret_post ");
        Set("token-dir", " /home/runner/work/_temp/t ");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.TokenUrl.AbsoluteUri, Is.EqualTo("https://studio.example.com/token"));
            Assert.That(settings.Request.ClientId, Is.EqualTo("ci-client"));
            Assert.That(settings.Request.ClientSecret?.Reveal(), Is.EqualTo(SecretValue));
            Assert.That(settings.Request.Scope, Is.EqualTo("studio:script"));
            Assert.That(settings.EnvName, Is.EqualTo("MY_TOKEN"));
            Assert.That(settings.RefreshPolicy.RefreshAt, Is.EqualTo(0.25));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromHours(3)));
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(settings.TokenDir, Is.EqualTo("/home/runner/work/_temp/t"));
        });
    }

    [Test]
    public void Blank_optional_inputs_count_as_not_given()
    {
        Set("env-name", "  ");
        Set("refresh", "");
        Set("scope", "\n");
        Set("token-dir", " ");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.EnvName, Is.EqualTo("STUDIO_TOKEN"));
            Assert.That(settings.Refresh, Is.True);
            Assert.That(settings.Request.Scope, Is.Null);
            Assert.That(settings.TokenDir, Is.Null);
        });
    }

    [Test]
    public void The_client_secret_never_appears_in_any_error()
    {
        // Every input wrong at once, in every way that echoes what was given.
        Set("token-url", "http://studio.example.com/token");
        Set("client-id", "ci\nclient");
        Set("client-auth", "private_key_jwt");
        Set("scope", "bad\"scope");
        Set("resource", "relative");
        Set("extra-params", "noequals");
        Set("env-name", "A-B");
        Set("refresh", "yes");
        Set("refresh-at", "2");
        Set("max-lifetime", "never");
        Set("revocation-url", "mailto:x");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => $"{e.Input}: {e.Message}"), Has.None.Contains(SecretValue).And.None.Contains("hunter2"));
    }

    [Test]
    public void The_secret_in_the_settings_never_prints_itself()
    {
        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.ToString(), Does.Not.Contain(SecretValue));
            Assert.That(settings.Request.ToString(), Does.Not.Contain(SecretValue));
        });
    }
}
