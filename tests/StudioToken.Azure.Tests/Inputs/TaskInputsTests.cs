using StudioToken.Azure.Inputs;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.OAuth;

namespace StudioToken.Azure.Tests.Inputs;

[TestFixture]
public sealed class TaskInputsTests
{
    private const string SecretValue = "hunter2-Zq9;%]client-secret";
    private const string ConnectionSecret = "conn-P4ss]w0rd%;";
    private const string ConnectionId = "6f1c3b9e-2d4a-4c8e-9f00-1a2b3c4d5e6f";

    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["INPUT_TOKENURL"] = "https://studio.example.com/api/v2/oauth/token",
        ["INPUT_CLIENTID"] = "ci-client",
        ["INPUT_CLIENTSECRET"] = SecretValue,
    };

    private AgentInputs Agent => new(_environment, SecretValue, ConnectionSecret);

    private TaskInputs Inputs => Agent.Inputs;

    private TaskSettings ReadValid() => Agent.ReadValid();

    private IReadOnlyList<TaskInputError> ReadInvalid() => Agent.ReadInvalid();

    private void Set(string input, string value) => Agent.Set(input, value);

    /// <summary>A studio-oauth service connection as the agent exposes it to the task.</summary>
    private void AddConnection(string url = "https://conn.example.com/oauth/token", string? scope = "studio:script", string? revocationUrl = "https://conn.example.com/oauth/revoke")
    {
        _environment["ENDPOINT_URL_" + ConnectionId] = url;
        _environment[$"ENDPOINT_AUTH_PARAMETER_{ConnectionId}_USERNAME"] = "conn-client";
        _environment[$"ENDPOINT_AUTH_PARAMETER_{ConnectionId}_PASSWORD"] = ConnectionSecret;
        if (scope is not null)
        {
            _environment[$"ENDPOINT_DATA_{ConnectionId}_SCOPE"] = scope;
        }

        if (revocationUrl is not null)
        {
            _environment[$"ENDPOINT_DATA_{ConnectionId}_REVOCATIONURL"] = revocationUrl;
        }
    }

    private void UseOnlyTheConnection()
    {
        _environment.Remove("INPUT_TOKENURL");
        _environment.Remove("INPUT_CLIENTID");
        _environment.Remove("INPUT_CLIENTSECRET");
        Set("connectedService", ConnectionId);
        AddConnection();
    }

    [Test]
    public void An_issuer_alone_stands_in_for_the_token_url_and_leaves_the_secret_method_to_discovery()
    {
        _environment.Remove("INPUT_TOKENURL");
        Set("issuer", "https://id.example.com/tenant");
        Set("clientAuth", "client_secret_basic");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Issuer, Is.EqualTo(new Uri("https://id.example.com/tenant")));
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(settings.Issuer));
            Assert.That(settings.GivenTokenUrl, Is.Null);
            Assert.That(settings.ChosenMethod, Is.Null, "client_secret_basic is task.json's default, so it may fall back to post");
        });
    }

    [Test]
    public void A_service_connections_url_given_with_an_issuer_wins_over_discovery()
    {
        UseOnlyTheConnection();
        Set("issuer", "https://id.example.com");

        Assert.That(ReadValid().GivenTokenUrl, Is.EqualTo(new Uri("https://conn.example.com/oauth/token")));
    }

    [Test]
    public void Without_a_token_url_an_issuer_or_a_connection_the_error_names_all_three()
    {
        _environment.Remove("INPUT_TOKENURL");

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("tokenUrl"));
            Assert.That(error.Message, Does.Contain("or give issuer").And.Contain("service connection"));
        });
    }

    [TestCase("http://id.example.com", "uses http://")]
    [TestCase("https://id.example.com/?x=1", "must not contain a ?query")]
    public void Rejects_an_issuer_discovery_could_not_trust(string issuer, string problem)
    {
        _environment.Remove("INPUT_TOKENURL");
        Set("issuer", issuer);

        var error = ReadInvalid().Single();

        Assert.Multiple(() =>
        {
            Assert.That(error.Input, Is.EqualTo("issuer"));
            Assert.That(error.Message, Does.Contain(problem));
        });
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
            Assert.That(settings.TokenDir, Is.Null);
            Assert.That(settings.Refresh, Is.True);
            Assert.That(settings.Revoke, Is.True);
            Assert.That(settings.RefreshPolicy.RefreshAt, Is.EqualTo(0.5));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(settings.RevocationUrl, Is.Null);
        });
    }

    [Test]
    public void Reads_inputs_by_the_agents_names_INPUT_and_the_name_upper_cased()
    {
        _environment.Clear();
        _environment["INPUT_tokenUrl"] = "https://wrong.example.com/camel-case";
        _environment["INPUT_TOKEN_URL"] = "https://wrong.example.com/underscore";
        _environment["INPUT_TOKENURL"] = "https://studio.example.com/token";
        _environment["INPUT_CLIENTID"] = "ci-client";
        _environment["INPUT_CLIENTSECRET"] = SecretValue;

        Assert.That(ReadValid().Request.TokenUrl, Is.EqualTo(new Uri("https://studio.example.com/token")));
    }

    [Test]
    public void Get_upper_cases_the_camelCase_name()
    {
        _environment["INPUT_MAXLIFETIME"] = "90m";

        Assert.That(Inputs.Get("maxLifetime"), Is.EqualTo("90m"));
    }

    [Test]
    public void Reads_every_optional_input()
    {
        Set("clientAuth", "client_secret_post");
        Set("scope", "studio:script studio:read");
        Set("audience", "https://api.example.com");
        Set("resource", "https://a.example.com/ https://b.example.com/");
        Set("extraParams", "tenant=acme\r\nregion=eu%20west&x=1");
        Set("tokenDir", "/agent/_temp/tokens");
        Set("refresh", "false");
        Set("refreshAt", "0.75");
        Set("maxLifetime", "90m");
        Set("revoke", "False");
        Set("revocationUrl", "https://studio.example.com/api/v2/oauth/revoke");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.AuthMethod, Is.EqualTo(ClientAuthMethod.ClientSecretPost));
            Assert.That(settings.Request.Scope, Is.EqualTo("studio:script studio:read"));
            Assert.That(settings.Request.Audience, Is.EqualTo("https://api.example.com"));
            Assert.That(settings.Request.Resources, Is.EqualTo(new[] { new Uri("https://a.example.com/"), new Uri("https://b.example.com/") }));
            Assert.That(settings.Request.ExtraParameters, Is.EqualTo(new KeyValuePair<string, string>[] { new("tenant", "acme"), new("region", "eu west"), new("x", "1") }));
            Assert.That(settings.TokenDir, Is.EqualTo("/agent/_temp/tokens"));
            Assert.That(settings.Refresh, Is.False);
            Assert.That(settings.RefreshPolicy.RefreshAt, Is.EqualTo(0.75));
            Assert.That(settings.MaxLifetime, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(settings.Revoke, Is.False);
            Assert.That(settings.RevocationUrl, Is.EqualTo(new Uri("https://studio.example.com/api/v2/oauth/revoke")));
        });
    }

    [Test]
    public void Blank_inputs_count_as_not_given()
    {
        Set("scope", "   ");
        Set("tokenDir", "");
        Set("refresh", " ");
        Set("revocationUrl", "\t");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.Scope, Is.Null);
            Assert.That(settings.TokenDir, Is.Null);
            Assert.That(settings.Refresh, Is.True);
            Assert.That(settings.RevocationUrl, Is.Null);
        });
    }

    [Test]
    public void Values_are_trimmed()
    {
        Set("clientId", "  ci-client \n");
        Set("tokenUrl", " https://studio.example.com/token ");

        var settings = ReadValid();

        Assert.That(settings.Request.ClientId, Is.EqualTo("ci-client"));
        Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri("https://studio.example.com/token")));
    }

    [Test]
    public void Reports_every_problem_at_once_by_its_camelCase_input_name()
    {
        _environment.Remove("INPUT_CLIENTID");
        Set("tokenUrl", "not a url");
        Set("clientAuth", "client_secret_jwt");
        Set("resource", "not-absolute");
        Set("extraParams", "novalue");
        Set("refresh", "maybe");
        Set("revoke", "yes");
        Set("refreshAt", "1.5");
        Set("maxLifetime", "forever");
        Set("revocationUrl", "http://revoke.example.com/revoke");
        Set("tokenDir", "relative/dir");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[]
        {
            "tokenUrl", "clientId", "clientAuth", "resource", "extraParams", "refresh", "revoke", "refreshAt", "maxLifetime", "revocationUrl", "tokenDir",
        }));
        Assert.That(errors.Select(e => e.Message), Has.All.Not.Empty);
    }

    [Test]
    public void Requires_token_url_client_id_and_client_secret()
    {
        _environment.Clear();

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EquivalentTo(new[] { "tokenUrl", "clientId", "clientSecret" }));
        Assert.That(errors.Single(e => e.Input == "clientSecret").Message, Does.Contain("secret variable"));
        Assert.That(errors.Single(e => e.Input == "tokenUrl").Message, Does.Contain("service connection"));
    }

    [TestCase("http://studio.example.com/token", "tokenUrl", "http://")]
    [TestCase("ftp://studio.example.com/token", "tokenUrl", "http(s)")]
    [TestCase("https://user:pw@studio.example.com/token", "tokenUrl", "user information")]
    public void Core_problems_with_the_request_are_named_by_input(string tokenUrl, string input, string message)
    {
        Set("tokenUrl", tokenUrl);

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { input }));
        Assert.That(errors[0].Message, Does.Contain(message));
        Assert.That(errors[0].Message, Does.Not.StartWith("token-url"), "the CLI's setting name is stripped");
    }

    [Test]
    public void An_http_token_url_error_names_no_command_line_flag()
    {
        Set("tokenUrl", "http://studio.example.com/token");

        var errors = ReadInvalid();

        Assert.That(errors.Single().Message, Does.Not.Contain("--"), "the task has inputs, not flags");
    }

    [Test]
    public void A_reserved_extra_parameter_is_an_extraParams_problem()
    {
        Set("extraParams", "grant_type=password");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "extraParams" }));
    }

    [Test]
    public void A_scope_with_quotes_is_a_scope_problem()
    {
        Set("scope", "\"studio:script\"");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "scope" }));
    }

    [Test]
    public void An_http_token_url_to_loopback_is_accepted() =>
        Assert.That(ReadValidWith("tokenUrl", "http://127.0.0.1:8080/token").Request.TokenUrl.Port, Is.EqualTo(8080));

    [TestCase("true", true)]
    [TestCase("True", true)]
    [TestCase("TRUE", true)]
    [TestCase("false", false)]
    [TestCase("False", false)]
    [TestCase("FALSE", false)]
    public void Reads_booleans_as_the_agent_writes_them(string text, bool expected)
    {
        Set("refresh", text);
        Set("revoke", text);

        var settings = ReadValid();

        Assert.That(settings.Refresh, Is.EqualTo(expected));
        Assert.That(settings.Revoke, Is.EqualTo(expected));
    }

    [TestCase("yes")]
    [TestCase("1")]
    [TestCase("on")]
    [TestCase("tru")]
    public void Refuses_other_booleans(string text)
    {
        Set("refresh", text);

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "refresh" }));
        Assert.That(errors[0].Message, Does.Contain(text).And.Contain("true or false"));
    }

    [TestCase("0.5", 0.5)]
    [TestCase("0.9", 0.9)]
    [TestCase(".25", 0.25)]
    public void Reads_refreshAt(string text, double expected) =>
        Assert.That(ReadValidWith("refreshAt", text).RefreshPolicy.RefreshAt, Is.EqualTo(expected));

    [TestCase("0")]
    [TestCase("1")]
    [TestCase("1.5")]
    [TestCase("-0.5")]
    [TestCase("0,5")]
    [TestCase("half")]
    public void Refuses_a_refreshAt_outside_0_to_1(string text) =>
        Assert.That(ReadInvalidWith("refreshAt", text), Is.EqualTo(new[] { "refreshAt" }));

    [TestCase("6h", 6 * 3600)]
    [TestCase("90m", 90 * 60)]
    [TestCase("3600s", 3600)]
    [TestCase("1h30m", 5400)]
    [TestCase("120", 120)]
    public void Reads_maxLifetime(string text, int seconds) =>
        Assert.That(ReadValidWith("maxLifetime", text).MaxLifetime, Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("0s")]
    [TestCase("0")]
    [TestCase("forever")]
    [TestCase("6 hours")]
    [TestCase("-1h")]
    public void Refuses_a_maxLifetime_that_is_not_a_positive_duration(string text) =>
        Assert.That(ReadInvalidWith("maxLifetime", text), Is.EqualTo(new[] { "maxLifetime" }));

    [TestCase("https://studio.example.com/revoke")]
    [TestCase("http://127.0.0.1:8080/revoke")]
    [TestCase("http://localhost/revoke")]
    [TestCase("http://[::1]:9000/revoke")]
    public void Accepts_a_revocationUrl_over_https_or_to_loopback(string text) =>
        Assert.That(ReadValidWith("revocationUrl", text).RevocationUrl, Is.EqualTo(new Uri(text)));

    [Test]
    public void Refuses_a_revocationUrl_over_http_to_another_host()
    {
        Set("revocationUrl", "http://revoke.example.com/revoke");

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "revocationUrl" }));
        Assert.That(errors[0].Message, Does.Contain("https://"));
    }

    [TestCase("ftp://revoke.example.com/")]
    [TestCase("not a url")]
    [TestCase("revoke.example.com/revoke")]
    public void Refuses_a_revocationUrl_that_is_not_an_absolute_http_url(string text) =>
        Assert.That(ReadInvalidWith("revocationUrl", text), Is.EqualTo(new[] { "revocationUrl" }));

    [TestCase("relative/dir")]
    [TestCase("./tokens")]
    [TestCase("~/tokens")]
    public void Refuses_a_relative_tokenDir(string text)
    {
        Set("tokenDir", text);

        var errors = ReadInvalid();

        Assert.That(errors.Select(e => e.Input), Is.EqualTo(new[] { "tokenDir" }));
        Assert.That(errors[0].Message, Does.Contain("absolute").And.Contain("Agent.TempDirectory"));
    }

    [Test]
    public void Accepts_an_absolute_tokenDir() =>
        Assert.That(ReadValidWith("tokenDir", "/home/vsts/work/_temp/tokens").TokenDir, Is.EqualTo("/home/vsts/work/_temp/tokens"));

    [Test]
    public void Takes_everything_from_a_service_connection()
    {
        UseOnlyTheConnection();

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri("https://conn.example.com/oauth/token")));
            Assert.That(settings.Request.ClientId, Is.EqualTo("conn-client"));
            Assert.That(settings.Request.ClientSecret?.Reveal(), Is.EqualTo(ConnectionSecret));
            Assert.That(settings.Request.Scope, Is.EqualTo("studio:script"));
            Assert.That(settings.RevocationUrl, Is.EqualTo(new Uri("https://conn.example.com/oauth/revoke")));
        });
    }

    [Test]
    public void Task_inputs_win_over_the_service_connection()
    {
        Set("connectedService", ConnectionId);
        AddConnection();
        Set("scope", "studio:read");
        Set("revocationUrl", "https://studio.example.com/revoke");

        var settings = ReadValid();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri("https://studio.example.com/api/v2/oauth/token")));
            Assert.That(settings.Request.ClientId, Is.EqualTo("ci-client"));
            Assert.That(settings.Request.ClientSecret?.Reveal(), Is.EqualTo(SecretValue));
            Assert.That(settings.Request.Scope, Is.EqualTo("studio:read"));
            Assert.That(settings.RevocationUrl, Is.EqualTo(new Uri("https://studio.example.com/revoke")));
        });
    }

    [Test]
    public void Each_input_overrides_only_its_own_connection_value()
    {
        UseOnlyTheConnection();
        Set("clientId", "override-client");

        var settings = ReadValid();

        Assert.That(settings.Request.ClientId, Is.EqualTo("override-client"));
        Assert.That(settings.Request.ClientSecret?.Reveal(), Is.EqualTo(ConnectionSecret));
        Assert.That(settings.Request.TokenUrl, Is.EqualTo(new Uri("https://conn.example.com/oauth/token")));
    }

    [Test]
    public void A_connection_without_scope_or_revocation_url_sends_none()
    {
        UseOnlyTheConnection();
        _environment.Remove($"ENDPOINT_DATA_{ConnectionId}_SCOPE");
        _environment.Remove($"ENDPOINT_DATA_{ConnectionId}_REVOCATIONURL");

        var settings = ReadValid();

        Assert.That(settings.Request.Scope, Is.Null);
        Assert.That(settings.RevocationUrl, Is.Null);
    }

    [Test]
    public void A_connection_revocation_url_over_http_to_another_host_is_refused()
    {
        UseOnlyTheConnection();
        _environment[$"ENDPOINT_DATA_{ConnectionId}_REVOCATIONURL"] = "http://conn.example.com/oauth/revoke";

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EqualTo(new[] { "revocationUrl" }));
    }

    [Test]
    public void An_unknown_service_connection_is_an_error_naming_it()
    {
        UseOnlyTheConnection();
        Set("connectedService", "0000aaaa-0000-0000-0000-000000000000");

        var errors = ReadInvalid();

        var connection = errors.SingleOrDefault(e => e.Input == "connectedService");
        Assert.That(connection, Is.Not.Null, () => string.Join("; ", errors));
        Assert.That(connection!.Message, Does.Contain("0000aaaa-0000-0000-0000-000000000000").And.Contain("authorized"));
    }

    [Test]
    public void Connection_values_of_another_connection_are_not_used()
    {
        UseOnlyTheConnection();
        _environment.Remove("INPUT_CONNECTEDSERVICE");

        Assert.That(ReadInvalid().Select(e => e.Input), Is.EquivalentTo(new[] { "tokenUrl", "clientId", "clientSecret" }));
    }

    [TestCase("clientSecret", "STUDIO_CLIENT_SECRET")]
    [TestCase("clientId", "STUDIO_CLIENT_ID")]
    [TestCase("tokenUrl", "Studio.TokenUrl")]
    [TestCase("scope", "studio-scope")]
    [TestCase("tokenDir", "Agent.TempDirectory")]
    public void An_unexpanded_macro_is_an_error_naming_the_missing_variable(string input, string variable)
    {
        Set(input, $"$({variable})");

        var errors = ReadInvalid();

        var macro = errors.Where(e => e.Input == input && e.Message.Contains("was not replaced", StringComparison.Ordinal)).ToList();
        Assert.That(macro, Has.Count.EqualTo(1), () => string.Join("; ", errors.Select(e => $"{e.Input}: {e.Message}")));
        Assert.That(macro[0].Message, Does.Contain($"'$({variable})'").And.Contain($"no variable {variable} is defined"));
    }

    [Test]
    public void A_macro_inside_a_longer_value_is_left_to_the_other_checks() =>
        Assert.That(ReadValidWith("scope", "studio:script $(notAVariable)x").Request.Scope, Is.EqualTo("studio:script $(notAVariable)x"));

    [Test]
    public void Secrets_yields_the_input_secret_and_the_connection_password()
    {
        Set("connectedService", ConnectionId);
        AddConnection();

        Assert.That(Inputs.Secrets().Select(s => s.Reveal()), Is.EqualTo(new[] { SecretValue, ConnectionSecret }));
    }

    [Test]
    public void Secrets_yields_the_connection_password_alone_when_no_input_secret_is_given()
    {
        UseOnlyTheConnection();

        Assert.That(Inputs.Secrets().Select(s => s.Reveal()), Is.EqualTo(new[] { ConnectionSecret }));
    }

    [Test]
    public void Secrets_yields_nothing_without_a_secret()
    {
        _environment.Clear();

        Assert.That(Inputs.Secrets(), Is.Empty);
    }

    [Test]
    public void Secrets_do_not_print_themselves()
    {
        Set("connectedService", ConnectionId);
        AddConnection();

        Assert.That(Inputs.Secrets().Select(s => s.ToString()), Has.All.EqualTo("***"));
    }

    private TaskSettings ReadValidWith(string input, string value)
    {
        Set(input, value);
        return ReadValid();
    }

    private string[] ReadInvalidWith(string input, string value)
    {
        Set(input, value);
        return [.. ReadInvalid().Select(e => e.Input)];
    }
}
