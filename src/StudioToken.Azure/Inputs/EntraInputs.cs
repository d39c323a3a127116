using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Entra;

namespace StudioToken.Azure.Inputs;

/// <summary>
/// What <c>provider: entra</c> read: the settings MSAL is given, and for the refresher, which loads the certificate
/// again, its path and password.
/// </summary>
public sealed record EntraTaskSettings(EntraSettings Settings, string? CertificateFile, Secret? CertificatePassword);

/// <summary>
/// <c>provider: entra</c>: Entra ID through MSAL. The tenant (<c>tenantId</c>), the cloud (<c>authorityHost</c>) and,
/// instead of a client secret, the app's certificate (<c>certificateFile</c>, <c>certificatePassword</c>). The endpoint
/// is the tenant's, so the inputs that name one, and those MSAL would not send, are errors rather than silently unused.
/// </summary>
internal sealed class EntraInputs(TaskInputs inputs)
{
    public const string OAuthProvider = "oauth";
    public const string EntraProvider = "entra";

    /// <summary>What each generic input is, given with Entra, and why it has no place there.</summary>
    private static readonly (string Input, string Why)[] GenericOnly =
    [
        ("tokenUrl", "the token endpoint is the tenant's: set tenantId (and authorityHost for a sovereign cloud)"),
        ("issuer", "the token endpoint is the tenant's: set tenantId (and authorityHost for a sovereign cloud)"),
        ("revocationUrl", "Entra ID has no revocation endpoint"),
        ("audience", "Entra takes a resource or scopes"),
        ("extraParams", "MSAL sends the request"),
        ("privateKey", "give the app's certificate with certificateFile"),
        ("keyId", "give the app's certificate with certificateFile"),
        ("assertionAudience", "give the app's certificate with certificateFile"),
        ("assertionType", "give the app's certificate with certificateFile"),
    ];

    /// <summary>The <c>provider</c> input, checked: entra, oauth (the default), or null after reporting a wrong one.</summary>
    public static string? Provider(TaskInputs inputs, Action<string, string> problem)
    {
        var provider = inputs.Get("provider")?.ToLowerInvariant() ?? OAuthProvider;
        if (provider is OAuthProvider or EntraProvider)
        {
            return provider;
        }

        problem("provider", $"'{inputs.Get("provider")}' is not supported; use {OAuthProvider} (default) or {EntraProvider}");
        return null;
    }

    /// <summary>The inputs only Entra uses, given with another provider: an error, since they would do nothing.</summary>
    public static void RefuseEntraOnly(TaskInputs inputs, Action<string, string> problem)
    {
        foreach (var name in new[] { "tenantId", "authorityHost", "certificateFile", "certificatePassword" })
        {
            if (inputs.Get(name) is not null)
            {
                problem(name, $"is only used with provider {EntraProvider}");
            }
        }
    }

    /// <summary>The tenant's token endpoint, for logs and <c>token.json</c>; null after reporting what is wrong.</summary>
    public Uri? ReadTokenEndpoint(Action<string, string> problem, out string? tenant, out Uri authorityHost)
    {
        foreach (var (input, why) in GenericOnly)
        {
            if (inputs.Get(input) is not null)
            {
                problem(input, $"is not used with provider {EntraProvider}: {why}");
            }
        }

        authorityHost = EntraSettings.DefaultAuthorityHost;
        if (inputs.Get("authorityHost") is { } hostText)
        {
            if (!Uri.TryCreate(hostText, UriKind.Absolute, out var host))
            {
                problem("authorityHost", $"'{hostText}' is not an absolute URL, e.g. https://login.microsoftonline.us");
            }
            else if (EntraSettings.AuthorityHostProblem(host) is { } hostProblem)
            {
                problem("authorityHost", hostProblem.Message[(hostProblem.Setting.Length + 2)..]);
            }
            else
            {
                authorityHost = host;
            }
        }

        tenant = inputs.Get("tenantId");
        if (tenant is null)
        {
            problem("tenantId", "is required with provider entra: the directory (tenant) id of the app registration, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47");
            return null;
        }

        if (EntraSettings.TenantProblem(tenant) is { } tenantProblem)
        {
            problem("tenantId", tenantProblem.Message[(tenantProblem.Setting.Length + 2)..]);
            tenant = null;
            return null;
        }

        return EntraSettings.TokenEndpointOf(authorityHost, tenant);
    }

    /// <summary>
    /// The certificate named by <c>certificateFile</c>, which is then the credential: a client secret input or another
    /// <c>clientAuth</c> as well is an error (the Studio OAuth connection's password is left unused, as with a key).
    /// Null when no certificate is given, or after reporting what is wrong.
    /// </summary>
    public EntraCredential.ClientCertificate? ReadCertificate(Action<string, string> problem)
    {
        var file = inputs.Get("certificateFile");
        if (file is null)
        {
            if (inputs.Get("certificatePassword") is not null)
            {
                problem("certificatePassword", "is only used with certificateFile (a PFX's password)");
            }

            return null;
        }

        var ok = true;
        if (inputs.Get("clientSecret") is not null)
        {
            problem("clientSecret", "cannot be used with certificateFile, which is the credential; remove one of them");
            ok = false;
        }

        if (inputs.Get("clientAuth") is { } method && !method.Equals(ClientAuthMethod.ClientSecretBasic.ToWireName(), StringComparison.OrdinalIgnoreCase))
        {
            problem("clientAuth", $"'{method}' cannot be combined with certificateFile, which is the credential; leave clientAuth at its default");
            ok = false;
        }

        if (!Path.IsPathFullyQualified(file))
        {
            problem("certificateFile", $"'{file}' is not an absolute path; use e.g. $(certificate.secureFilePath) from a DownloadSecureFile step");
            return null;
        }

        if (!ok)
        {
            return null;
        }

        try
        {
            return new EntraCredential.ClientCertificate(EntraCertificate.Load(file, "certificateFile", CertificatePassword()));
        }
        catch (TokenConfigurationException ex)
        {
            problem("certificateFile", ex.Message[(ex.Setting.Length + 2)..]);
            return null;
        }
    }

    /// <summary>The PFX password, a secret input.</summary>
    public Secret? CertificatePassword() =>
        inputs.Get("certificatePassword") is { } text && !TaskInputs.IsUnexpandedMacro(text) ? new Secret(text) : null;

    /// <summary>The Entra settings for <paramref name="request"/>; null after reporting what is wrong.</summary>
    public static EntraSettings? Settings(TokenRequest request, string tenant, Uri authorityHost, EntraCredential credential, Action<string, string> problem)
    {
        if (request.Grant != TokenGrant.ClientCredentials)
        {
            problem("grant", $"only client_credentials is used with provider {EntraProvider}; the OIDC token is sent as the client assertion");
            return null;
        }

        if (EntraSettings.ScopesFor(request, out var scopeProblem) is not { } scopes)
        {
            switch (scopeProblem)
            {
                case EntraScopeProblem.ScopeAndResource:
                    problem("scope", $"give either scope or resource with provider {EntraProvider}, not both");
                    break;
                case EntraScopeProblem.NoResource:
                    problem("resource", "Entra needs what the token is for: a resource, e.g. https://management.azure.com (its .default scope is asked for), or scope");
                    break;
                default:
                    problem("resource", "Entra issues a token for one resource at a time; give one");
                    break;
            }

            return null;
        }

        var settings = new EntraSettings
        {
            TenantId = tenant,
            ClientId = request.ClientId,
            Credential = credential,
            Scopes = scopes,
            AuthorityHost = authorityHost,
            RequestTimeout = request.RequestTimeout,
        };
        var problems = settings.Problems().ToList();
        foreach (var settingProblem in problems)
        {
            problem(TaskInputs.InputName(settingProblem.Setting), settingProblem.Message[(settingProblem.Setting.Length + 2)..]);
        }

        return problems.Count == 0 ? settings : null;
    }
}
