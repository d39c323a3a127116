using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer;

/// <summary>A confidential client registered with the test server; <see cref="ToString"/> hides the secret.</summary>
public sealed record TestClient(string ClientId, string ClientSecret, ClientAuthStyle Auth, IReadOnlyList<string> Scopes)
{
    /// <summary>Uses a secret no form- or base64-encoding shortcut survives (RFC 6749 §2.3.1).</summary>
    public static TestClient DefaultBasic { get; } =
        new("basic-client", "basic-secret-Ω1 +%", ClientAuthStyle.Basic, [TestScopes.Script]);

    /// <summary>The plain client_secret_post client.</summary>
    public static TestClient DefaultPost { get; } =
        new("post-client", "post-secret-2", ClientAuthStyle.Post, [TestScopes.Script]);

    /// <summary>
    /// Public keys (PEM, <c>PUBLIC KEY</c> or a private key whose public half is taken) the client signs its
    /// assertions with; they become the application's JSON Web Key Set. Empty for clients with a secret.
    /// </summary>
    public IReadOnlyList<string> PublicKeys { get; init; } = [];

    /// <summary>A private_key_jwt client with no secret at all: only an assertion signed with one of <paramref name="publicKeys"/> gets it in.</summary>
    public static TestClient WithPublicKeys(string clientId, params string[] publicKeys) =>
        new(clientId, string.Empty, ClientAuthStyle.PrivateKeyJwt, [TestScopes.Script]) { PublicKeys = publicKeys };

    /// <summary>The CI platform ID tokens the server takes from this client instead of a secret; null for other clients.</summary>
    public FederatedCredential? Federation { get; init; }

    /// <summary>A client with no secret and no keys: only an ID token its credential trusts, sent as the client assertion, gets it in.</summary>
    public static TestClient Federated(string clientId, FederatedCredential credential) =>
        new(clientId, string.Empty, ClientAuthStyle.FederatedAssertion, [TestScopes.Script]) { Federation = credential };

    /// <summary>A public client that gets tokens only by exchanging an ID token its credential trusts (RFC 8693).</summary>
    public static TestClient FederatedExchange(string clientId, FederatedCredential credential) =>
        new(clientId, string.Empty, ClientAuthStyle.FederatedSubjectToken, [TestScopes.Script]) { Federation = credential };

    // Records print every property; a secret must never reach test output or logs.
    public override string ToString() =>
        $"TestClient {{ ClientId = {ClientId}, ClientSecret = ***, Auth = {Auth}, Scopes = [{string.Join(' ', Scopes)}], PublicKeys = {PublicKeys.Count}, Federation = {Federation} }}";
}
