using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>Asks the server itself whether a token is still good (RFC 7662), as the client that owns it.</summary>
internal static class TokenIntrospection
{
    public static Task<bool> IsActiveAsync(OpenIddictTestServer server, TestClient client, string token, CancellationToken cancellationToken) =>
        server.IsActiveAsync(token, client, cancellationToken);
}
