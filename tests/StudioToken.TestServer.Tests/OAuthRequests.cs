using System.Net.Http.Headers;
using System.Text;
using StudioToken.TestServer;

namespace StudioToken.TestServer.Tests;

// Builds requests by hand, the way the production client will, so the tests pin the wire format and not a library's.
internal static class OAuthRequests
{
    public static HttpRequestMessage Token(Uri tokenUrl, TestClient client, string? scope = null, bool spacesAsPlus = false)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl);
        if (client.Auth == ClientAuthStyle.Basic)
        {
            request.Headers.Authorization = Basic(client.ClientId, client.ClientSecret, spacesAsPlus);
        }
        else
        {
            form.Add(new("client_id", client.ClientId));
            form.Add(new("client_secret", client.ClientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    // Introspection and revocation authenticate the caller the same way as the token endpoint.
    public static HttpRequestMessage AboutToken(Uri endpoint, TestClient caller, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = Basic(caller.ClientId, caller.ClientSecret, spacesAsPlus: false);
        return request;
    }

    // RFC 6749 §2.3.1: form-encode id and secret first, then base64 "id:secret".
    public static AuthenticationHeaderValue Basic(string clientId, string clientSecret, bool spacesAsPlus)
    {
        var pair = $"{FormEncode(clientId, spacesAsPlus)}:{FormEncode(clientSecret, spacesAsPlus)}";
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    private static string FormEncode(string value, bool spacesAsPlus)
    {
        var escaped = Uri.EscapeDataString(value);
        return spacesAsPlus ? escaped.Replace("%20", "+", StringComparison.Ordinal) : escaped;
    }
}
