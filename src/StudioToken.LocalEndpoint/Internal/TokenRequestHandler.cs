using Newtonsoft.Json.Linq;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>The OAuth 2.0 client-credentials rules for a request to the token path.</summary>
internal sealed class TokenRequestHandler(LocalEndpointOptions options, TokenIssuer issuer)
{
    private readonly ClientAuthenticator _authenticator = new(options.ClientId, options.ClientSecret);
    // A copy, so a caller that mutates its set after Start cannot change what a running endpoint grants.
    private readonly HashSet<string> _allowedScopes = new(options.AllowedScopes, StringComparer.Ordinal);
    private int _tokensIssued;

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public HttpResponse Handle(RecordedRequest request)
    {
        if (request.Method != "POST")
        {
            return HttpResponse.OAuthError(405, "invalid_request", "The token endpoint accepts POST only.", ("Allow", "POST"));
        }

        if (!FormUrlEncoded.IsFormContentType(request.Headers.GetValueOrDefault("Content-Type")))
        {
            return HttpResponse.OAuthError(400, "invalid_request", $"The body must be {FormUrlEncoded.MediaType}.");
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Form)
        {
            // RFC 6749 §3.2: parameters must not be included more than once, except RFC 8707's resource indicators.
            if (!form.TryAdd(name, value) && name != "resource")
            {
                return HttpResponse.OAuthError(400, "invalid_request", $"Parameter '{name}' is repeated.");
            }
        }

        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return HttpResponse.OAuthError(400, "unsupported_grant_type");
        }

        var clientId = _authenticator.Authenticate(request.Headers.GetValueOrDefault("Authorization"), form);
        if (clientId is null)
        {
            return HttpResponse.OAuthError(401, "invalid_client", "Client authentication failed.", ("WWW-Authenticate", "Basic realm=\"studio\""));
        }

        var requested = form.GetValueOrDefault("scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var unknown = requested.Where(scope => !_allowedScopes.Contains(scope)).ToList();
        if (unknown.Count > 0)
        {
            return HttpResponse.OAuthError(400, "invalid_scope", $"Scope not allowed: {string.Join(' ', unknown)}.");
        }

        var granted = string.Join(' ', requested.Length > 0 ? requested.Distinct(StringComparer.Ordinal) : _allowedScopes.Order(StringComparer.Ordinal));
        var accessToken = issuer.Issue(clientId, granted, options.TokenLifetime);
        Interlocked.Increment(ref _tokensIssued);
        return HttpResponse.Json(
            200,
            new JObject
            {
                ["access_token"] = accessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = (long)options.TokenLifetime.TotalSeconds,
                ["scope"] = granted,
            },
            ("Cache-Control", "no-store"),
            ("Pragma", "no-cache"));
    }
}
