using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace StudioToken.LocalEndpoint.Tests;

/// <summary>Builds client-credentials requests the way an RFC 6749 client sends them.</summary>
internal static class TokenRequests
{
    public const string Secret = "s3cr3t-for-tests";

    public static HttpClient CreateClient() =>
        // Redirects stay visible to the tests, and a proxy from the environment must not intercept loopback traffic.
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

    public static HttpRequestMessage Basic(Uri tokenUrl, string clientId, string secret, string? scope = null)
    {
        var request = Form(tokenUrl, Fields(scope));
        // RFC 6749 §2.3.1: form-url-encode id and secret before joining and base64-encoding them.
        var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(secret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return request;
    }

    public static HttpRequestMessage Post(Uri tokenUrl, string clientId, string secret, string? scope = null) =>
        Form(tokenUrl, [.. Fields(scope), new("client_id", clientId), new("client_secret", secret)]);

    public static HttpRequestMessage Form(Uri tokenUrl, IEnumerable<KeyValuePair<string, string>> fields) =>
        new(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(fields) };

    private static List<KeyValuePair<string, string>> Fields(string? scope) =>
        scope is null ? [new("grant_type", "client_credentials")] : [new("grant_type", "client_credentials"), new("scope", scope)];
}
