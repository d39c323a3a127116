using System.Net.Http.Headers;
using System.Text.Json;
using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer.Tests.Federation;

/// <summary>What a CI job sends the platform for an ID token, built by hand so the tests pin the wire format.</summary>
internal static class IdTokenRequests
{
    /// <summary>GitHub: GET the request URL with <c>&amp;audience=</c>, bearer the request token.</summary>
    public static HttpRequestMessage GitHub(IdTokenIssuer issuer, string? audience = null, string? bearer = "")
    {
        var url = issuer.GitHubRequestUrl.AbsoluteUri + (audience is null ? string.Empty : "&audience=" + Uri.EscapeDataString(audience));
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorize(request, bearer == string.Empty ? issuer.GitHubRequestToken : bearer);
        return request;
    }

    /// <summary>Azure: POST the OIDC request URI with the service connection and api-version, bearer System.AccessToken.</summary>
    public static HttpRequestMessage Azure(IdTokenIssuer issuer, string? serviceConnectionId = null, string? apiVersion = "7.1", string? bearer = "")
    {
        var query = $"?serviceConnectionId={Uri.EscapeDataString(serviceConnectionId ?? issuer.AzureServiceConnectionId)}"
            + (apiVersion is null ? string.Empty : "&api-version=" + apiVersion);
        var request = new HttpRequestMessage(HttpMethod.Post, issuer.AzureOidcRequestUri.AbsoluteUri + query)
        {
            Content = new StringContent(string.Empty, new MediaTypeHeaderValue("application/json")),
        };
        Authorize(request, bearer == string.Empty ? issuer.AzureAccessToken : bearer);
        return request;
    }

    /// <summary>Sends the request and returns the status and the token under <paramref name="member"/>, if any.</summary>
    public static async Task<(int Status, string? Token)> SendAsync(HttpClient http, HttpRequestMessage request, string member)
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return ((int)response.StatusCode, null);
        }

        using var json = JsonDocument.Parse(body);
        return ((int)response.StatusCode, json.RootElement.GetProperty(member).GetString());
    }

    public static async Task<string> GitHubTokenAsync(HttpClient http, IdTokenIssuer issuer, string? audience = null)
    {
        using var request = GitHub(issuer, audience);
        var (status, token) = await SendAsync(http, request, "value");
        return status == 200 ? token! : throw new InvalidOperationException($"the issuer answered {status}");
    }

    public static async Task<string> AzureTokenAsync(HttpClient http, IdTokenIssuer issuer)
    {
        using var request = Azure(issuer);
        var (status, token) = await SendAsync(http, request, "oidcToken");
        return status == 200 ? token! : throw new InvalidOperationException($"the issuer answered {status}");
    }

    // bearer: "" means the right one, null none at all, anything else a wrong one.
    private static void Authorize(HttpRequestMessage request, string? bearer)
    {
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
    }
}
