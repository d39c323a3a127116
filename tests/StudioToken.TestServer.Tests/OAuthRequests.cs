using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

    // private_key_jwt (RFC 7523 §2.2) with an EC P-256 key, addressed and typed as OpenIddict 7 wants: aud = issuer,
    // typ = client-authentication+jwt. Every call signs a new assertion.
    public static HttpRequestMessage TokenWithAssertion(Uri tokenUrl, string clientId, ECDsa key, Uri issuer, string type = "client-authentication+jwt")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = type });
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = issuer.AbsoluteUri,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["exp"] = now + 60,
        });
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = TestScopes.Script,
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = signingInput + "." + Base64Url.EncodeToString(signature),
            }),
        };
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
