namespace StudioToken.TestServer.Federation;

/// <summary>
/// An <see cref="IdTokenIssuer"/> and an <see cref="OpenIddictTestServer"/> that trusts it, started in that order
/// (the clients' trust names the issuer's URL) and stopped together.
/// </summary>
public sealed class FederationRig : IAsyncDisposable
{
    private FederationRig(IdTokenIssuer issuer, OpenIddictTestServer server)
    {
        Issuer = issuer;
        Server = server;
    }

    public IdTokenIssuer Issuer { get; }

    public OpenIddictTestServer Server { get; }

    /// <param name="clients">The server's clients, made once the issuer is listening.</param>
    /// <param name="accessTokenLifetime">The server's access-token lifetime.</param>
    public static async Task<FederationRig> StartAsync(Func<IdTokenIssuer, IEnumerable<TestClient>> clients, TimeSpan accessTokenLifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var issuer = await IdTokenIssuer.StartAsync(cancellationToken: cancellationToken);
        try
        {
            var server = await OpenIddictTestServer.StartAsync(
                new OpenIddictTestServerOptions { AccessTokenLifetime = accessTokenLifetime, Clients = [.. clients(issuer)] }, cancellationToken);
            return new FederationRig(issuer, server);
        }
        catch
        {
            await issuer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
