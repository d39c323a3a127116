using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StudioToken.TestServer;

internal static class TestClientRegistration
{
    public static async Task RegisterAsync(IServiceProvider services, IEnumerable<TestClient> clients, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in clients)
        {
            await applications.CreateAsync(Describe(client), ct);
        }
    }

    // Auth style is not restricted per application: tests pick the style, the server accepts either.
    private static OpenIddictApplicationDescriptor Describe(TestClient client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = client.ClientId,
        };
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Introspection,
            Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.ClientCredentials,
        ]);
        descriptor.Permissions.UnionWith(client.Scopes.Select(scope => Permissions.Prefixes.Scope + scope));
        return descriptor;
    }
}
