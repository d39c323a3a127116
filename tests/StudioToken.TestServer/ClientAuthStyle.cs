namespace StudioToken.TestServer;

/// <summary>How a test client presents its secret; the server accepts both, this only tells tests which to use.</summary>
public enum ClientAuthStyle
{
    /// <summary>client_secret_basic: form-encoded id and secret, base64 in the Authorization header.</summary>
    Basic,

    /// <summary>client_secret_post: client_id and client_secret in the form body.</summary>
    Post,
}
