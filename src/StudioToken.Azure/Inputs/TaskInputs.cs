using System.Text.RegularExpressions;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Settings;
using StudioToken.Core.Tokens;

namespace StudioToken.Azure.Inputs;

/// <summary>One input that is wrong, and how to fix it.</summary>
public sealed record TaskInputError(string Input, string Message);

/// <summary>The task's inputs, parsed and checked before anything is sent.</summary>
public sealed record TaskSettings(
    TokenRequest Request,
    string? TokenDir,
    bool Refresh,
    RefreshPolicy RefreshPolicy,
    TimeSpan MaxLifetime,
    bool Revoke,
    Uri? RevocationUrl)
{
    /// <summary>For azure_oidc: what the refresher needs to mint its own OIDC tokens; null for other methods.</summary>
    public AzureOidcSettings? AzureOidc { get; init; }

    /// <summary>The issuer to discover the endpoints from; null when only a token URL is given.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>The token URL given (input or service connection), which wins over the discovered one; null when left to discovery.</summary>
    public Uri? GivenTokenUrl { get; init; }

    /// <summary>The <c>clientAuth</c> input; null when discovery may pick the method (client_secret_basic, the default, included).</summary>
    public ClientAuthMethod? ChosenMethod { get; init; }

    /// <summary>With <c>provider: entra</c>: what MSAL is given; null for a token endpoint of our own.</summary>
    public EntraTaskSettings? Entra { get; init; }
}

/// <summary>
/// Reads the task's inputs as the agent passes them (<c>INPUT_</c> + the name in upper case) and the
/// <c>studio-oauth</c> service connection they may name (<c>ENDPOINT_URL_id</c>, <c>ENDPOINT_AUTH_PARAMETER_id_USERNAME</c>
/// and <c>_PASSWORD</c>, <c>ENDPOINT_DATA_id_SCOPE</c> and <c>_REVOCATIONURL</c>). An input given on the task wins
/// over the connection's value. Every problem is collected, so the user fixes them in one go.
/// </summary>
/// <param name="createHttpClient">For azure_oidc, the client that asks the agent's OIDC endpoint for tokens.</param>
public sealed partial class TaskInputs(Func<string, string?> environment, Func<HttpClient>? createHttpClient = null, TimeProvider? timeProvider = null)
{
    public string? Get(string name) => Trimmed(environment("INPUT_" + name.ToUpperInvariant()));

    /// <summary>
    /// The client secret (input or service connection), the certificate's password, the private key (whole, and each
    /// line of its body, in case a log shows it a line at a time) and, for azure_oidc, the job's access token: read
    /// before anything else, to be masked first.
    /// </summary>
    public IEnumerable<Secret> Secrets()
    {
        foreach (var value in new[] { Get("clientSecret"), Endpoint("AUTH_PARAMETER", "PASSWORD"), Get("certificatePassword") })
        {
            // `$(NAME)` left as it is names an undefined variable: not a secret, and masking it would hide the error.
            if (value is not null && !IsUnexpandedMacro(value))
            {
                yield return new Secret(value);
            }
        }

        if (ClientCredentialInputs.PrivateKey(Get("privateKey")) is { } key)
        {
            yield return key;
            foreach (var line in key.Reveal().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)))
            {
                yield return new Secret(line);
            }
        }

        if (ClientAuthMethodNames.TryParse(Get("clientAuth"), out var method) && method == ClientAuthMethod.AzureOidc && ClientCredentialInputs.AccessToken(environment) is { } accessToken)
        {
            yield return accessToken;
        }
    }

    /// <summary>Whether <c>provider</c> is entra, for the post-job step, which needs no other input to know there is nothing to revoke.</summary>
    public bool IsEntra => string.Equals(Get("provider"), EntraInputs.EntraProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>The agent leaves <c>$(name)</c> as it is when no variable of that name exists.</summary>
    public static bool IsUnexpandedMacro(string text) => UnexpandedMacro().IsMatch(text);

    public TaskSettings? TryRead(out IReadOnlyList<TaskInputError> errors)
    {
        var problems = new List<TaskInputError>();
        void Check(string input, string? problem)
        {
            if (problem is not null)
            {
                problems.Add(new TaskInputError(input, problem));
            }
        }

        var connection = Get("connectedService");
        if (connection is not null && environment("ENDPOINT_URL_" + connection) is null)
        {
            Check("connectedService", $"'{connection}' is not a service connection this job can use; check its name and that the pipeline is authorized to use it");
        }

        foreach (var name in new[] { "connectedService", "tokenUrl", "issuer", "clientId", "clientSecret", "privateKey", "keyId", "assertionAudience", "assertionType", "oidcServiceConnection", "scope", "audience", "resource", "revocationUrl", "tokenDir", "tenantId", "authorityHost", "certificateFile", "certificatePassword" })
        {
            if (Get(name) is { } text && UnexpandedMacro().Match(text) is { Success: true } macro)
            {
                Check(name, $"'{macro.Value}' was not replaced: no variable {macro.Groups[1].Value} is defined for this job (a secret variable must be defined in the pipeline's variables or a variable group)");
            }
        }

        var provider = EntraInputs.Provider(this, (input, message) => Check(input, message));
        var entraInputs = provider == EntraInputs.EntraProvider ? new EntraInputs(this) : null;
        if (provider == EntraInputs.OAuthProvider)
        {
            EntraInputs.RefuseEntraOnly(this, (input, message) => Check(input, message));
        }

        Uri? issuer = null;
        if (entraInputs is null && SettingChecks.Issuer(Get("issuer"), out issuer) is { } issuerProblem)
        {
            Check("issuer", issuerProblem);
            issuer = null;
        }

        var givenTokenUrl = Get("tokenUrl") ?? Endpoint("URL");
        Uri? tokenUrl = null;
        string? tenant = null;
        var authorityHost = Entra.EntraSettings.DefaultAuthorityHost;
        if (entraInputs is not null)
        {
            // The Studio OAuth connection's URL is left unused, as its password is with a key: the endpoint is the tenant's.
            givenTokenUrl = null;
            tokenUrl = entraInputs.ReadTokenEndpoint((input, message) => Check(input, message), out tenant, out authorityHost);
        }
        else if (givenTokenUrl is null && Get("issuer") is not null)
        {
            // The issuer stands in for the token URL until the main step discovers the token endpoint.
            tokenUrl = issuer;
        }
        else
        {
            Check("tokenUrl", SettingChecks.TokenUrl(givenTokenUrl, out tokenUrl) is { } urlProblem
                ? urlProblem + (givenTokenUrl is null ? " (or give issuer to discover it, or choose a Studio OAuth service connection)" : " (or choose a Studio OAuth service connection)")
                : null);
        }

        var clientId = Get("clientId") ?? Endpoint("AUTH_PARAMETER", "USERNAME");
        if (clientId is null)
        {
            Check("clientId", "is required: the OAuth client id, e.g. $(STUDIO_CLIENT_ID), or choose a Studio OAuth service connection");
        }

        var secret = new[] { Get("clientSecret"), Endpoint("AUTH_PARAMETER", "PASSWORD") }
            .FirstOrDefault(value => value is not null && !IsUnexpandedMacro(value)) is { } secretText ? new Secret(secretText) : null;
        var certificate = entraInputs?.ReadCertificate((input, message) => Check(input, message));
        ClientCredential? credential = null;
        if (certificate is not null || (entraInputs is not null && Get("certificateFile") is not null))
        {
            // The certificate is the credential (or a wrong one was reported): the request carries no secret.
            credential = certificate is null ? null : new ClientCredential(ClientAuthMethod.ClientSecretBasic, TokenGrant.ClientCredentials, null, null, null, null);
        }
        else if (entraInputs is not null && ClientAuthMethodNames.TryParse(Get("clientAuth"), out var entraMethod) && entraMethod == ClientAuthMethod.PrivateKeyJwt)
        {
            Check("clientAuth", $"private_key_jwt is not used with provider {EntraInputs.EntraProvider}: give the certificate uploaded to the app with certificateFile");
        }
        else
        {
            credential = new ClientCredentialInputs(this, environment, createHttpClient ?? (() => TokenClient.CreateHttpClient()), timeProvider ?? TimeProvider.System)
                .Read(secret, problems.Any(problem => problem.Input == "clientSecret"), (input, message) => Check(input, message), entraInputs is null ? null : "certificateFile, or clientAuth azure_oidc, which needs no secret");
        }

        var resourceProblems = new List<string>();
        var resources = ParameterText.ParseResources([Get("resource") ?? string.Empty], resourceProblems);
        resourceProblems.ForEach(problem => Check("resource", problem));

        var extraProblems = new List<string>();
        var extra = ParameterText.ParseExtraParameters((Get("extraParams") ?? string.Empty).Split('\n'), extraProblems);
        extraProblems.ForEach(problem => Check("extraParams", problem));

        Check("refresh", SettingChecks.Boolean(Get("refresh"), true, out var refresh));
        Check("revoke", SettingChecks.Boolean(Get("revoke"), true, out var revoke));
        Check("refreshAt", SettingChecks.RefreshAt(Get("refreshAt"), out var refreshAt));
        Check("maxLifetime", SettingChecks.MaxLifetime(Get("maxLifetime"), out var maxLifetime));
        Uri? revocationUrl = null;
        if (entraInputs is null)
        {
            Check("revocationUrl", SettingChecks.RevocationUrl(Get("revocationUrl") ?? Endpoint("DATA", "REVOCATIONURL"), out revocationUrl));
        }

        var tokenDir = Get("tokenDir");
        if (tokenDir is not null && !Path.IsPathFullyQualified(tokenDir))
        {
            Check("tokenDir", $"'{tokenDir}' is not an absolute path; use e.g. $(Agent.TempDirectory)/studio-token");
        }

        TokenRequest? request = null;
        if (tokenUrl is not null && clientId is not null && credential is not null)
        {
            request = new TokenRequest
            {
                TokenUrl = tokenUrl,
                ClientId = clientId,
                ClientSecret = credential.Secret,
                ClientAssertionKey = credential.Key,
                AssertionSource = credential.AssertionSource,
                AuthMethod = credential.Method,
                Grant = credential.Grant,
                Scope = Get("scope") ?? Endpoint("DATA", "SCOPE"),
                Audience = Get("audience"),
                Resources = resources,
                ExtraParameters = extra,
            };
            foreach (var problem in request.Problems().Where(problem => certificate is null || problem.Setting != "client-secret"))
            {
                Check(InputName(problem.Setting), problem.Message[(problem.Setting.Length + 2)..]);
            }
        }

        EntraTaskSettings? entra = null;
        if (entraInputs is not null && request is not null && tenant is not null && problems.Count == 0)
        {
            Entra.EntraCredential entraCredential = certificate is not null ? certificate
                : request.AuthMethod.IsFederated() ? new Entra.EntraCredential.FederatedAssertion(request.AssertionSource!)
                : new Entra.EntraCredential.ClientSecret(request.ClientSecret!);
            entra = EntraInputs.Settings(request, tenant, authorityHost, entraCredential, (input, message) => Check(input, message)) is { } entraSettings
                ? new EntraTaskSettings(entraSettings, certificate is null ? null : Get("certificateFile"), certificate is null ? null : entraInputs.CertificatePassword())
                : null;
        }

        errors = problems;
        return problems.Count == 0 && request is not null
            ? new TaskSettings(request, tokenDir, refresh, new RefreshPolicy { RefreshAt = refreshAt }, maxLifetime, revoke, revocationUrl)
            {
                AzureOidc = credential?.AzureOidc,
                Issuer = issuer,
                GivenTokenUrl = issuer is not null && givenTokenUrl is not null ? tokenUrl : null,
                // task.json's default is client_secret_basic, so naming it may mean leaving it out: either way discovery
                // takes Basic when the server lists it, else client_secret_post, with the same secret.
                ChosenMethod = credential?.Method is ClientAuthMethod.ClientSecretBasic ? null : credential?.Method,
                Entra = entra,
            }
            : null;
    }

    private string? Endpoint(string kind, string? key = null) =>
        Get("connectedService") is { } id ? Trimmed(environment($"ENDPOINT_{kind}_{id}{(key is null ? string.Empty : "_" + key)}")) : null;

    /// <summary>The core names settings as the CLI's flags; the task user knows them by their camelCase input names.</summary>
    public static string InputName(string setting) => setting.TrimStart('-') switch
    {
        "token-url" => "tokenUrl",
        "client-id" => "clientId",
        "client-secret" => "clientSecret",
        "client-auth" => "clientAuth",
        "private-key" => "privateKey",
        "key-id" => "keyId",
        "assertion-audience" => "assertionAudience",
        "assertion-type" => "assertionType",
        "azure-service-connection" => "oidcServiceConnection",
        "tenant-id" => "tenantId",
        "authority-host" => "authorityHost",
        "certificate-file" => "certificateFile",
        "extra-params" => "extraParams",
        var other => other,
    };

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The agent leaves <c>$(name)</c> as it is when no variable of that name exists.</summary>
    [GeneratedRegex(@"^\$\(([A-Za-z0-9_.\-]+)\)$")]
    private static partial Regex UnexpandedMacro();
}
