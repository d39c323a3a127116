using System.Security.Cryptography;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>A private_key_jwt client of the assembly's server and the key it signs with, made for this run only.</summary>
public sealed class KeyClient(string clientId, AsymmetricAlgorithm key)
{
    public string ClientId { get; } = clientId;

    public AsymmetricAlgorithm Key { get; } = key;

    /// <summary>PKCS#8 PEM, as a user would keep it in a secret store.</summary>
    public string PrivateKeyPem => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>The server learns only the public half.</summary>
    public TestClient Registration => TestClient.WithPublicKeys(ClientId, Key.ExportSubjectPublicKeyInfoPem());

    // Shows in test names and failure messages: never the key.
    public override string ToString() => ClientId;
}

/// <summary>One client per algorithm, so each is proven against the server (RS256, ES256, ES384, ES512).</summary>
public static class KeyClients
{
    public static KeyClient Rs256 { get; } = new("rs256-client", RSA.Create(2048));

    public static KeyClient Es256 { get; } = new("es256-client", ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static KeyClient Es384 { get; } = new("es384-client", ECDsa.Create(ECCurve.NamedCurves.nistP384));

    public static KeyClient Es512 { get; } = new("es512-client", ECDsa.Create(ECCurve.NamedCurves.nistP521));

    public static IReadOnlyList<KeyClient> All { get; } = [Rs256, Es256, Es384, Es512];

    public static KeyClient Named(string clientId) => All.Single(client => client.ClientId == clientId);
}
