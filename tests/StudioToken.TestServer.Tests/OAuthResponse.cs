using System.Text.Json;

namespace StudioToken.TestServer.Tests;

// The answer of any OAuth endpoint; tolerant of absent members, as the real client must be.
internal sealed record OAuthResponse(int Status, JsonElement Body, string? WwwAuthenticate)
{
    public string? String(string name) =>
        Member(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public JsonElement? Member(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) ? value : null;

    public static async Task<OAuthResponse> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString();
        if (text.Length == 0)
        {
            return new OAuthResponse((int)response.StatusCode, default, challenge);
        }

        using var json = JsonDocument.Parse(text);
        return new OAuthResponse((int)response.StatusCode, json.RootElement.Clone(), challenge);
    }
}
