namespace StudioToken.LocalEndpoint;

/// <summary>What the local endpoint accepts and what its tokens look like.</summary>
public sealed record LocalEndpointOptions
{
    /// <summary>The only client id the endpoint authenticates.</summary>
    public string ClientId { get; init; } = "demo-client";

    /// <summary>The client's secret; compared in constant time and never written to any response or string.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>Scopes a client may request; a request without <c>scope</c> is granted all of them.</summary>
    public IReadOnlySet<string> AllowedScopes { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "studio:script" };

    /// <summary>Lifetime of issued tokens, reported as <c>expires_in</c> in whole seconds.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Clock for the <c>iat</c>, <c>nbf</c> and <c>exp</c> claims, so tests can pin them.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Request path of the token endpoint; every other path answers 404.</summary>
    public string Path { get; init; } = "/api/v2/oauth/token";

    /// <summary>Shows the options without the secret, so they are safe to log.</summary>
    public override string ToString() =>
        $"LocalEndpointOptions {{ ClientId = {ClientId}, ClientSecret = ***, AllowedScopes = [{string.Join(' ', AllowedScopes)}], " +
        $"TokenLifetime = {TokenLifetime}, Path = {Path} }}";

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ClientId);
        ArgumentException.ThrowIfNullOrEmpty(ClientSecret);
        ArgumentNullException.ThrowIfNull(AllowedScopes);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (TokenLifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TokenLifetime), TokenLifetime, "expires_in is whole seconds, so the lifetime must be at least one second.");
        }

        if (string.IsNullOrEmpty(Path) || Path[0] != '/')
        {
            throw new ArgumentException("The token path must start with '/'.", nameof(Path));
        }
    }
}
