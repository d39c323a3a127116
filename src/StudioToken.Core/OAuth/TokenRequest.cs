using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>Everything needed to ask a token endpoint for a client-credentials token (RFC 6749 §4.4).</summary>
public sealed record TokenRequest
{
    /// <summary>Parameters the tool sets itself; extra parameters may not override them.</summary>
    public static readonly IReadOnlySet<string> ReservedParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "grant_type", "client_id", "client_secret", "scope", "audience", "resource",
        "client_assertion", "client_assertion_type", "subject_token", "subject_token_type",
    };

    public required Uri TokenUrl { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The client secret, for client_secret_basic and client_secret_post.</summary>
    public Secret? ClientSecret { get; init; }

    /// <summary>The private key and assertion settings, for private_key_jwt.</summary>
    public ClientAssertionKey? ClientAssertionKey { get; init; }

    /// <summary>Where the ID token comes from, for <see cref="ClientAuthMethod.GitHubOidc"/> and <see cref="ClientAuthMethod.AzureOidc"/>.</summary>
    public IClientAssertionSource? AssertionSource { get; init; }

    public ClientAuthMethod AuthMethod { get; init; } = ClientAuthMethod.ClientSecretBasic;

    public TokenGrant Grant { get; init; } = TokenGrant.ClientCredentials;

    /// <summary>The RFC 8693 <c>subject_token_type</c> of a token exchange.</summary>
    public string SubjectTokenType { get; init; } = TokenGrantNames.JwtTokenType;

    /// <summary>Space-separated scopes, sent as is; null sends none.</summary>
    public string? Scope { get; init; }

    /// <summary>The non-standard but common <c>audience</c> parameter (Auth0, Okta); null sends none.</summary>
    public string? Audience { get; init; }

    /// <summary>RFC 8707 resource indicators, one <c>resource</c> parameter each.</summary>
    public IReadOnlyList<Uri> Resources { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> ExtraParameters { get; init; } = [];

    /// <summary>Allows <c>http://</c> to a host that is not loopback. Off by default: the secret would cross the network in clear.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>How long one HTTP exchange may take; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime assumed when the response has neither <c>expires_in</c> nor a JWT <c>exp</c>.</summary>
    public TimeSpan AssumedLifetime { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Throws <see cref="TokenConfigurationException"/> naming the first setting that is wrong and how to fix it.</summary>
    public void Validate()
    {
        if (Problems().FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    /// <summary>Every setting that is wrong, each naming the fix, so a user can correct them all in one go.</summary>
    public IEnumerable<TokenConfigurationException> Problems()
    {
        if (!TokenUrl.IsAbsoluteUri || (TokenUrl.Scheme != Uri.UriSchemeHttps && TokenUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new TokenConfigurationException("token-url", $"'{TokenUrl}' is not an absolute http(s) URL; give the token endpoint, e.g. https://studio.example.com/api/v2/oauth/token");
        }

        if (TokenUrl.Scheme == Uri.UriSchemeHttp && !TokenUrl.IsLoopback && !AllowInsecureHttp)
        {
            yield return new TokenConfigurationException("token-url", $"'{TokenUrl}' uses http:// to a host that is not loopback, which would send the client secret in clear; use https:// (the CLI's allow-insecure-http option permits it if you really mean it)");
        }

        if (!string.IsNullOrEmpty(TokenUrl.UserInfo) || !string.IsNullOrEmpty(TokenUrl.Fragment))
        {
            yield return new TokenConfigurationException("token-url", "the URL must not contain user information or a #fragment; pass credentials with --client-id and the client secret instead");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new TokenConfigurationException("client-id", "is empty; give the OAuth client id");
        }

        if (ContainsControlCharacter(ClientId))
        {
            yield return new TokenConfigurationException("client-id", "contains a control character (a stray newline?); remove it");
        }

        // Only the credential the method sends is required; another one given as well is left unused.
        if (AuthMethod == ClientAuthMethod.PrivateKeyJwt)
        {
            foreach (var problem in ClientAssertionKey?.Problems() ?? [new TokenConfigurationException("private-key", "is required for private_key_jwt; give the client's private key (PEM)")])
            {
                yield return problem;
            }
        }
        else if (AuthMethod.IsFederated())
        {
            if (AssertionSource is null)
            {
                yield return new TokenConfigurationException("client-auth", $"{AuthMethod.ToWireName()} needs the CI platform's ID token, and none can be asked for here; run it in that CI, or choose another method");
            }
        }
        else if (ClientSecret is null)
        {
            yield return new TokenConfigurationException("client-secret", $"is required for {AuthMethod.ToWireName()}; give the client secret");
        }

        if (Scope is not null && (Scope.Length == 0 || ContainsControlCharacter(Scope) || Scope.Contains('"', StringComparison.Ordinal) || Scope.Contains('\\', StringComparison.Ordinal)))
        {
            yield return new TokenConfigurationException("scope", "must be space-separated scope tokens without quotes, backslashes or control characters, e.g. 'studio:script'");
        }

        if (Grant == TokenGrant.TokenExchange && !AuthMethod.IsFederated())
        {
            yield return new TokenConfigurationException("grant", $"token-exchange exchanges a CI platform's ID token; use it with client-auth github_oidc or azure_oidc, not {AuthMethod.ToWireName()}");
        }

        if (string.IsNullOrWhiteSpace(SubjectTokenType) || SubjectTokenType.Any(char.IsControl) || SubjectTokenType.Contains(' ', StringComparison.Ordinal))
        {
            yield return new TokenConfigurationException("subject-token-type", $"must be a token type URI, e.g. {TokenGrantNames.JwtTokenType}");
        }

        foreach (var resource in Resources)
        {
            if (!resource.IsAbsoluteUri || resource.IsFile || !string.IsNullOrEmpty(resource.Fragment))
            {
                yield return new TokenConfigurationException("resource", $"'{resource}' must be an absolute URI without a fragment (RFC 8707)");
            }
        }

        foreach (var (name, _) in ExtraParameters)
        {
            if (string.IsNullOrWhiteSpace(name) || ReservedParameters.Contains(name))
            {
                yield return new TokenConfigurationException("extra-params", $"'{name}' cannot be set as an extra parameter; use the dedicated option for it");
            }
        }

        if (RequestTimeout != Timeout.InfiniteTimeSpan && RequestTimeout <= TimeSpan.Zero)
        {
            yield return new TokenConfigurationException("timeout", "must be positive, e.g. 30s");
        }

        if (AssumedLifetime <= TimeSpan.Zero)
        {
            yield return new TokenConfigurationException("assumed-lifetime", "must be positive, e.g. 3600s");
        }
    }

    private static bool ContainsControlCharacter(string text) => text.Any(char.IsControl);
}
