namespace StudioToken.TestServer;

/// <summary>How a test client authenticates; the server accepts both secret styles, this only tells tests which to use.</summary>
public enum ClientAuthStyle
{
    /// <summary>client_secret_basic: form-encoded id and secret, base64 in the Authorization header.</summary>
    Basic,

    /// <summary>client_secret_post: client_id and client_secret in the form body.</summary>
    Post,

    /// <summary>private_key_jwt: a signed client assertion (RFC 7523 §2.2), checked against the client's public keys.</summary>
    PrivateKeyJwt,

    /// <summary>A CI platform's ID token as the client assertion, trusted through the client's federated credential.</summary>
    FederatedAssertion,

    /// <summary>No client authentication: a CI platform's ID token, trusted the same way, is the subject of an RFC 8693 token exchange.</summary>
    FederatedSubjectToken,
}
