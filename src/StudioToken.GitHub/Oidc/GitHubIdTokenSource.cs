using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.GitHub.Oidc;

/// <summary>
/// GitHub Actions' OIDC ID token, asked for at every request (they live minutes): <c>GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=…</c>
/// with <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> as the bearer, answered <c>{"value": "&lt;jwt&gt;"}</c>.
/// </summary>
public sealed class GitHubIdTokenSource(IdTokenEndpoint endpoint, Uri requestUrl, Secret requestToken, string? audience) : IClientAssertionSource
{
    public const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    /// <summary>The runner sets both variables only for jobs granted the permission, so their absence names the fix.</summary>
    public const string MissingPermission = "github_oidc needs an ID token, and this job may not ask for one (ACTIONS_ID_TOKEN_REQUEST_URL is not set): add `permissions: id-token: write` to the workflow or the job";

    public string? Audience => audience;

    public static GitHubIdTokenSource FromEnvironment(Func<string, string?> environment, HttpClient httpClient, TimeProvider timeProvider, string? audience)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var url = environment(RequestUrlVariable);
        var token = environment(RequestTokenVariable);
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token))
        {
            throw new TokenConfigurationException("client-auth", MissingPermission);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var requestUrl) || (requestUrl.Scheme != Uri.UriSchemeHttps && !requestUrl.IsLoopback))
        {
            throw new TokenConfigurationException("client-auth", $"{RequestUrlVariable} is not an https URL; it is the runner's to set, so leave it alone");
        }

        if (audience is not null && (audience.Length == 0 || audience.Any(char.IsControl)))
        {
            throw new TokenConfigurationException("oidc-audience", "must be non-empty text without control characters, e.g. the audience your server's federation trust expects");
        }

        var endpoint = new IdTokenEndpoint(httpClient, timeProvider, "GitHub's ID token endpoint",
            "check `permissions: id-token: write` for the job (a pull request from a fork gets no ID token)");
        return new GitHubIdTokenSource(endpoint, requestUrl, new Secret(token), audience);
    }

    public Task<Secret> GetAssertionAsync(CancellationToken cancellationToken)
    {
        var url = audience is null
            ? requestUrl
            : new Uri(requestUrl.AbsoluteUri + (string.IsNullOrEmpty(requestUrl.Query) ? "?" : "&") + "audience=" + Uri.EscapeDataString(audience));
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new("Bearer", requestToken.Reveal());
        return SendAsync(message, cancellationToken);
    }

    private async Task<Secret> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            return await endpoint.FetchAsync(message, "value", cancellationToken);
        }
    }
}
