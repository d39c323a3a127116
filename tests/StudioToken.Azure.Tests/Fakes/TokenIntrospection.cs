using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>Asks the server itself whether a token is still good (RFC 7662), as the client that owns it.</summary>
internal static class TokenIntrospection
{
    public static async Task<bool> IsActiveAsync(OpenIddictTestServer server, TestClient client, string token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, server.IntrospectionUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        var pair = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "introspection failed");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("active").GetBoolean();
    }
}
