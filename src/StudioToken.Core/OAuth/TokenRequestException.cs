using System.Net;

namespace StudioToken.Core.OAuth;

/// <summary>Why a token request failed, which decides whether and how soon to try again.</summary>
public enum TokenFailureKind
{
    /// <summary>408, 429, 5xx, a timeout or a broken connection: worth retrying soon.</summary>
    Transient,

    /// <summary>The endpoint refused the credentials, grant or scope: retrying soon only hammers it.</summary>
    Rejected,

    /// <summary>The endpoint answered something that is not a usable token response (HTML, a redirect, a 404, a malformed body).</summary>
    BadResponse,
}

/// <summary>A token request failed. The message is one line and holds no secret.</summary>
public class TokenRequestException : Exception
{
    public TokenRequestException(TokenFailureKind kind, string message, HttpStatusCode? statusCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public TokenFailureKind Kind { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's <c>Retry-After</c>, as a delay from when the response arrived.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsTransient => Kind == TokenFailureKind.Transient;
}

/// <summary>An RFC 6749 §5.2 error response, with the server's own <c>error</c> code and description.</summary>
/// <param name="authMethod">How the client authenticated, when the hints should fit it (a refused assertion).</param>
public sealed class OAuthErrorException(TokenFailureKind kind, string error, string? errorDescription, HttpStatusCode statusCode, TimeSpan? retryAfter, ClientAuthMethod? authMethod = null)
    : TokenRequestException(kind, Describe(error, errorDescription, statusCode, authMethod), statusCode, retryAfter)
{
    public string Error { get; } = error;

    public string? ErrorDescription { get; } = errorDescription;

    private static string Describe(string error, string? description, HttpStatusCode status, ClientAuthMethod? authMethod)
    {
        var hint = error switch
        {
            // Servers refuse an assertion's audience or type with invalid_client, or (OpenIddict) invalid_token.
            "invalid_client" or "invalid_token" when authMethod == ClientAuthMethod.PrivateKeyJwt =>
                " (check the client id and the key the server holds for it, and whether the server wants the assertion audience to be its issuer and the assertion type client-authentication+jwt)",
            "invalid_client" or "invalid_token" or "invalid_grant" or "invalid_request" when authMethod is ClientAuthMethod.GitHubOidc or ClientAuthMethod.AzureOidc =>
                " (check that the server trusts the CI platform's issuer for this client, with the subject and the audience (oidc-audience) the ID token carries)",
            "invalid_client" => " (check the client id, the client secret and the client authentication method)",
            "invalid_scope" => " (the client is not allowed that scope; check the scope)",
            "unauthorized_client" => " (the client may not use the client_credentials grant; check its registration)",
            "unsupported_grant_type" => " (the server does not offer client_credentials at this URL; check the token URL)",
            _ => string.Empty,
        };
        var text = string.IsNullOrEmpty(description) ? string.Empty : $": {description}";
        return $"token endpoint answered {(int)status} {error}{text}{hint}";
    }
}
