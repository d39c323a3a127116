using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// Finds a federated issuer's signing keys as a relying party does: its OpenID discovery document, then the
/// <c>jwks_uri</c> it names, both over HTTP and only on 127.0.0.1. Keys are fetched once per issuer (the local issuer
/// never rotates its key); a failed fetch is not remembered, so an issuer started later is still found.
/// </summary>
internal sealed class TrustedIssuerKeys : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, Task<IList<SecurityKey>>> _keys = new(StringComparer.Ordinal);

    public async Task<IList<SecurityKey>> GetAsync(FederatedCredential credential, CancellationToken cancellationToken)
    {
        credential.EnsureLoopback();
        var fetch = _keys.GetOrAdd(credential.Issuer, FetchAsync);
        try
        {
            return await fetch.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _keys.TryRemove(KeyValuePair.Create(credential.Issuer, fetch));
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<IList<SecurityKey>> FetchAsync(string issuer)
    {
        using var configuration = JsonDocument.Parse(await _http.GetStringAsync(new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration")));
        // OpenID Connect Discovery §4.3: a document naming another issuer must not be used.
        if (configuration.RootElement.GetProperty("issuer").GetString() != issuer)
        {
            throw new InvalidOperationException($"the discovery document of {issuer} names another issuer");
        }

        var jwksUri = new Uri(configuration.RootElement.GetProperty("jwks_uri").GetString()!);
        LoopbackOnly.Ensure(jwksUri.AbsoluteUri, "a federated issuer's jwks_uri");
        return new JsonWebKeySet(await _http.GetStringAsync(jwksUri)).GetSigningKeys();
    }
}
