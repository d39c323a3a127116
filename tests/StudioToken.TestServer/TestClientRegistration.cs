using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using StudioToken.TestServer.Federation;
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

    // Auth style is not restricted per application: tests pick the style, the server accepts either secret style.
    // A client with public keys and no secret can only authenticate with an assertion (OpenIddict enables
    // private_key_jwt for every application that has a JSON Web Key Set). OpenIddict insists that a confidential
    // client have a secret or keys, so a federated one gets a random secret nobody is told: only the federation
    // handlers can authenticate it. One that exchanges ID tokens is public, since RFC 8693 clients present the ID
    // token as the subject, not as a credential.
    private static OpenIddictApplicationDescriptor Describe(TestClient client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.Auth == ClientAuthStyle.FederatedAssertion ? UnknownSecret()
                : client.ClientSecret.Length == 0 ? null : client.ClientSecret,
            ClientType = client.Auth == ClientAuthStyle.FederatedSubjectToken ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.ClientId,
        };
        if (client.PublicKeys.Count > 0)
        {
            descriptor.JsonWebKeySet = new JsonWebKeySet();
            foreach (var pem in client.PublicKeys)
            {
                descriptor.JsonWebKeySet.Keys.Add(PublicJsonWebKey(pem));
            }
        }

        if (client.Federation is not null)
        {
            client.Federation.EnsureLoopback();
            descriptor.Properties[FederatedClients.CredentialProperty] = FederatedClients.Describe(client.Federation);
        }

        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Introspection,
            Permissions.Endpoints.Revocation,
            client.Auth == ClientAuthStyle.FederatedSubjectToken ? Permissions.GrantTypes.TokenExchange : Permissions.GrantTypes.ClientCredentials,
        ]);
        descriptor.Permissions.UnionWith(client.Scopes.Select(scope => Permissions.Prefixes.Scope + scope));
        return descriptor;
    }

    private static string UnknownSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    // Only the public half goes into the key set, whatever PEM the test hands in.
    private static JsonWebKey PublicJsonWebKey(string pem)
    {
        using var rsa = RSA.Create();
        if (TryImport(rsa, pem))
        {
            return Usable(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))));
        }

        using var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        using var publicEc = ECDsa.Create(ec.ExportParameters(false));
        return Usable(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicEc)));
    }

    private static JsonWebKey Usable(JsonWebKey key)
    {
        key.Use = JsonWebKeyUseNames.Sig;
        return key;
    }

    // RSA's PEM import refuses an EC key with either exception, depending on the PEM label.
    private static bool TryImport(RSA rsa, string pem)
    {
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
