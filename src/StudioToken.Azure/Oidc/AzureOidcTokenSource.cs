using System.Net.Http.Headers;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Azure.Oidc;

/// <summary>
/// Azure Pipelines' OIDC token for a service connection, asked for at every request:
/// <c>POST $(System.OidcRequestUri)?serviceConnectionId=…&amp;api-version=7.1</c> with the job's access token as the
/// bearer, answered <c>{"oidcToken": "&lt;jwt&gt;"}</c>. Its subject names the service connection
/// (<c>sc://org/project/connection</c>), which is what the server's federation trust matches.
/// </summary>
public sealed class AzureOidcTokenSource(IdTokenEndpoint endpoint, Uri oidcRequestUri, string serviceConnectionId, Secret accessToken) : IClientAssertionSource
{
    public const string RequestUriVariable = "SYSTEM_OIDCREQUESTURI";
    public const string AccessTokenVariable = "SYSTEM_ACCESSTOKEN";

    /// <summary>Where a task finds the job's access token without the pipeline mapping it (the agent's own connection).</summary>
    public const string AgentAccessTokenVariable = "ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN";

    public const string ApiVersion = "7.1";

    /// <summary>Azure issues these tokens for one audience only.</summary>
    public string? Audience => "api://AzureADTokenExchange";

    public static AzureOidcTokenSource FromEnvironment(Func<string, string?> environment, HttpClient httpClient, TimeProvider timeProvider, string? serviceConnectionId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var uri = environment(RequestUriVariable);
        if (string.IsNullOrEmpty(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var requestUri) || (requestUri.Scheme != Uri.UriSchemeHttps && !requestUri.IsLoopback))
        {
            throw new TokenConfigurationException("client-auth", $"azure_oidc needs an Azure Pipelines OIDC token, and {RequestUriVariable} is not set to an https URL: run it in an Azure Pipelines job (the agent sets System.OidcRequestUri)");
        }

        var token = environment(AccessTokenVariable) is { Length: > 0 } mapped ? mapped : environment(AgentAccessTokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            throw new TokenConfigurationException("client-auth", $"azure_oidc needs the job's access token: map it in the step, `env: {AccessTokenVariable}: $(System.AccessToken)`");
        }

        if (string.IsNullOrWhiteSpace(serviceConnectionId) || serviceConnectionId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new TokenConfigurationException("azure-service-connection", "must be the id (a GUID) of the service connection whose federated credential the server trusts");
        }

        var endpoint = new IdTokenEndpoint(httpClient, timeProvider, "Azure Pipelines' OIDC token endpoint",
            "check that the service connection id is right and that this pipeline is allowed to use it");
        return new AzureOidcTokenSource(endpoint, requestUri, serviceConnectionId, new Secret(token));
    }

    public Task<Secret> GetAssertionAsync(CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(oidcRequestUri.Query) ? "?" : "&";
        var url = new Uri($"{oidcRequestUri.AbsoluteUri}{separator}serviceConnectionId={Uri.EscapeDataString(serviceConnectionId)}&api-version={ApiVersion}");
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(string.Empty, new MediaTypeHeaderValue("application/json")),
        };
        message.Headers.Authorization = new("Bearer", accessToken.Reveal());
        return SendAsync(message, cancellationToken);
    }

    private async Task<Secret> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            return await endpoint.FetchAsync(message, "oidcToken", cancellationToken);
        }
    }
}
