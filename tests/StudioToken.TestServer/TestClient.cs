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

    // Records print every property; a secret must never reach test output or logs.
    public override string ToString() =>
        $"TestClient {{ ClientId = {ClientId}, ClientSecret = ***, Auth = {Auth}, Scopes = [{string.Join(' ', Scopes)}] }}";
}
