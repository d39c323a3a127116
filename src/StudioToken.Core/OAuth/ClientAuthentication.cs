using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace StudioToken.Core.OAuth;

/// <summary>Client authentication (RFC 6749 §2.3.1) for every request to the server: token and revocation alike.</summary>
internal static class ClientAuthentication
{
    public static void Apply(TokenRequest client, HttpRequestMessage message, List<KeyValuePair<string, string>> form)
    {
        if (client.AuthMethod == ClientAuthMethod.ClientSecretBasic)
        {
            // Id and secret are form-urlencoded before they are joined and base64-encoded.
            var pair = $"{FormEncode(client.ClientId)}:{FormEncode(client.ClientSecret.Reveal())}";
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else
        {
            form.Add(new("client_id", client.ClientId));
            form.Add(new("client_secret", client.ClientSecret.Reveal()));
        }
    }

    /// <summary>application/x-www-form-urlencoded, as RFC 6749 Appendix B asks: UTF-8, space as '+'.</summary>
    public static string FormEncode(string value) => WebUtility.UrlEncode(value);
}
