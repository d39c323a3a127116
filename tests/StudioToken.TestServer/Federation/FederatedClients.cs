using System.Text.Json;
using OpenIddict.Abstractions;

namespace StudioToken.TestServer.Federation;

// The federated credential lives in the client's registration (an application property), so a client registered
// while the server runs is trusted at once, and one source says how each client authenticates.
internal static class FederatedClients
{
    public const string CredentialProperty = "federated_credential";

    public static JsonElement Describe(FederatedCredential credential) => JsonSerializer.SerializeToElement(credential);

    public static async Task<FederatedCredential?> FindAsync(IOpenIddictApplicationManager applications, string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(CredentialProperty, out var credential) ? credential.Deserialize<FederatedCredential>() : null;
    }
}
