using StudioToken.Core.OAuth;

namespace StudioToken.Entra;

/// <summary>Who asks Entra ID for a token, where, for what, and with which credential.</summary>
public sealed record EntraSettings
{
    /// <summary>The global Azure cloud's login host; sovereign clouds have their own (e.g. https://login.microsoftonline.us).</summary>
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com");

    /// <summary>
    /// Multi-tenant aliases name no tenant, and a client-credentials token is always for one tenant: Entra refuses
    /// them for this grant, so they are refused here, before anything is sent.
    /// </summary>
    private static readonly HashSet<string> TenantAliases = new(StringComparer.OrdinalIgnoreCase) { "common", "organizations", "consumers" };

    /// <summary>The directory (tenant) id, a GUID, or one of its verified domain names.</summary>
    public required string TenantId { get; init; }

    public required string ClientId { get; init; }

    public required EntraCredential Credential { get; init; }

    /// <summary>What the token is for: <c>RESOURCE/.default</c> (the app's granted permissions) or explicit scopes.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public Uri AuthorityHost { get; init; } = DefaultAuthorityHost;

    /// <summary>How long one exchange with Entra may take; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The authority MSAL is given: the host and the tenant.</summary>
    public Uri Authority => new(AuthorityHost, TenantId.Trim() + "/");

    /// <summary>Where MSAL sends the request, for logs and <c>token.json</c>.</summary>
    public Uri TokenEndpoint => TokenEndpointOf(AuthorityHost, TenantId);

    public static Uri TokenEndpointOf(Uri authorityHost, string tenantId) =>
        new(authorityHost, tenantId.Trim() + "/oauth2/v2.0/token");

    /// <summary>The scope that asks for every application permission granted on <paramref name="resource"/>.</summary>
    public static string DefaultScopeOf(string resource) =>
        resource.TrimEnd('/') + "/.default";

    /// <summary>
    /// The scopes a request asks Entra for: its scope as given, else its one resource's <c>.default</c> (Entra issues a
    /// token for one resource at a time). Null, with <paramref name="problem"/> saying why, when the request names
    /// both, neither or several resources; each host words that in its own setting names.
    /// </summary>
    public static IReadOnlyList<string>? ScopesFor(TokenRequest request, out EntraScopeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        (var scopes, problem) = (request.Scope, request.Resources.Count) switch
        {
            (not null, > 0) => (null, EntraScopeProblem.ScopeAndResource),
            (not null, _) => ((IReadOnlyList<string>?)request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), EntraScopeProblem.None),
            (null, 1) => ([DefaultScopeOf(request.Resources[0].AbsoluteUri)], EntraScopeProblem.None),
            (null, 0) => (null, EntraScopeProblem.NoResource),
            _ => (null, EntraScopeProblem.SeveralResources),
        };
        return scopes;
    }

    /// <summary>Throws <see cref="TokenConfigurationException"/> naming the first setting that is wrong and how to fix it.</summary>
    public void Validate()
    {
        if (Problems().FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    /// <summary>What is wrong with a tenant id, checked first since it becomes part of a URL; null when nothing is.</summary>
    public static TokenConfigurationException? TenantProblem(string tenantId)
    {
        if (string.IsNullOrWhiteSpace(tenantId) || !tenantId.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') || tenantId.Contains("..", StringComparison.Ordinal))
        {
            return new TokenConfigurationException("tenant-id", "must be the directory (tenant) id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a verified domain such as contoso.onmicrosoft.com");
        }

        return TenantAliases.Contains(tenantId.Trim())
            ? new TokenConfigurationException("tenant-id", $"'{tenantId.Trim()}' names no tenant, and Entra issues client-credentials tokens only for one; give the directory (tenant) id")
            : null;
    }

    /// <summary>What is wrong with an authority host, checked before it is used to build the token endpoint; null when nothing is.</summary>
    public static TokenConfigurationException? AuthorityHostProblem(Uri authorityHost) =>
        !authorityHost.IsAbsoluteUri || authorityHost.Scheme != Uri.UriSchemeHttps || authorityHost.AbsolutePath != "/" || !string.IsNullOrEmpty(authorityHost.Query) || !string.IsNullOrEmpty(authorityHost.UserInfo)

            // MSAL itself refuses http:// authorities; a path would end up between the host and the tenant.
            ? new TokenConfigurationException("authority-host", $"'{authorityHost}' must be an https:// host alone, e.g. {DefaultAuthorityHost.GetLeftPart(UriPartial.Authority)} or https://login.microsoftonline.us")
            : null;

    /// <summary>Every setting that is wrong, each naming the fix.</summary>
    public IEnumerable<TokenConfigurationException> Problems()
    {
        if (TenantProblem(TenantId) is { } tenantProblem)
        {
            yield return tenantProblem;
        }

        if (AuthorityHostProblem(AuthorityHost) is { } hostProblem)
        {
            yield return hostProblem;
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Any(char.IsControl))
        {
            yield return new TokenConfigurationException("client-id", "must be the application (client) id of the app registration");
        }

        if (Scopes.Count == 0 || Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(c => char.IsControl(c) || c is ' ' or '"' or '\\')))
        {
            yield return new TokenConfigurationException("scope", "Entra needs what the token is for: a resource (its .default scope is asked for, e.g. https://management.azure.com/.default) or scopes");
        }

        if (RequestTimeout != Timeout.InfiniteTimeSpan && RequestTimeout <= TimeSpan.Zero)
        {
            yield return new TokenConfigurationException("timeout", "must be positive, e.g. 30s");
        }
    }
}

/// <summary>Why a request names no scope Entra can issue a token for.</summary>
public enum EntraScopeProblem
{
    None,
    ScopeAndResource,
    NoResource,
    SeveralResources,
}
