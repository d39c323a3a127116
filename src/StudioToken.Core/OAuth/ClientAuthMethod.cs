namespace StudioToken.Core.OAuth;

/// <summary>How the client proves its identity at the token endpoint (RFC 6749 §2.3.1).</summary>
public enum ClientAuthMethod
{
    /// <summary>HTTP Basic with the form-urlencoded id and secret; the default, and the one RFC 6749 requires servers to support.</summary>
    ClientSecretBasic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the request body.</summary>
    ClientSecretPost,

    /// <summary>A short-lived JWT signed with the client's private key (RFC 7523 §2.2, OpenID Connect Core §9); no secret is sent.</summary>
    PrivateKeyJwt,
}

/// <summary>The wire names of <see cref="ClientAuthMethod"/>, as used in inputs and discovery documents.</summary>
public static class ClientAuthMethodNames
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string PrivateKeyJwt = "private_key_jwt";

    public static bool TryParse(string? text, out ClientAuthMethod method)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case ClientSecretBasic:
                method = ClientAuthMethod.ClientSecretBasic;
                return true;
            case ClientSecretPost:
                method = ClientAuthMethod.ClientSecretPost;
                return true;
            case PrivateKeyJwt:
                method = ClientAuthMethod.PrivateKeyJwt;
                return true;
            default:
                method = default;
                return false;
        }
    }

    public static string ToWireName(this ClientAuthMethod method) => method switch
    {
        ClientAuthMethod.ClientSecretPost => ClientSecretPost,
        ClientAuthMethod.PrivateKeyJwt => PrivateKeyJwt,
        _ => ClientSecretBasic,
    };
}
