namespace StudioToken.TestServer.Federation;

/// <summary>
/// What a server trusts a client to present instead of a secret, as Entra ID's federated identity credentials and
/// Keycloak's federated client authentication describe it: ID tokens from <paramref name="Issuer"/> (keys found through
/// its discovery document) about exactly <paramref name="Subject"/>, addressed to <paramref name="Audience"/>.
/// </summary>
public sealed record FederatedCredential(string Issuer, string Subject, string Audience)
{
    /// <summary>Refuses any issuer off loopback, so no test can make the server fetch keys from the network.</summary>
    public void EnsureLoopback() => LoopbackOnly.Ensure(Issuer, "a federated issuer");
}
