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

    /// <summary>A GitHub Actions OIDC ID token, asked for at every request, as the client assertion (or the subject of a token exchange).</summary>
    GitHubOidc,

    /// <summary>An Azure Pipelines OIDC token for a service connection, asked for at every request, used as <see cref="GitHubOidc"/> is.</summary>
    AzureOidc,
}

/// <summary>The wire names of <see cref="ClientAuthMethod"/>, as used in inputs and discovery documents.</summary>
public static class ClientAuthMethodNames
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string PrivateKeyJwt = "private_key_jwt";
    public const string GitHubOidc = "github_oidc";
    public const string AzureOidc = "azure_oidc";

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
            case GitHubOidc:
                method = ClientAuthMethod.GitHubOidc;
                return true;
            case AzureOidc:
                method = ClientAuthMethod.AzureOidc;
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
        ClientAuthMethod.GitHubOidc => GitHubOidc,
        ClientAuthMethod.AzureOidc => AzureOidc,
        _ => ClientSecretBasic,
    };

    /// <summary>
    /// The name a server's <c>token_endpoint_auth_methods_supported</c> gives the method: an ID token presented as a
    /// client assertion is a JWT signed by a key the server trusts for the client, which servers list as private_key_jwt.
    /// </summary>
    public static string ToServerMethodName(this ClientAuthMethod method) =>
        method.IsFederated() ? PrivateKeyJwt : method.ToWireName();

    /// <summary>Whether the credential sent is a JWT (signed here, or by a CI platform), which the server may echo and logs must not show.</summary>
    public static bool SendsAssertion(this ClientAuthMethod method) =>
        method is ClientAuthMethod.PrivateKeyJwt or ClientAuthMethod.GitHubOidc or ClientAuthMethod.AzureOidc;

    /// <summary>Whether the assertion comes from an <see cref="IClientAssertionSource"/> (a CI platform's ID token).</summary>
    public static bool IsFederated(this ClientAuthMethod method) =>
        method is ClientAuthMethod.GitHubOidc or ClientAuthMethod.AzureOidc;

    /// <summary>All accepted wire names, for messages.</summary>
    public const string AllNames = "client_secret_basic, client_secret_post, private_key_jwt, github_oidc or azure_oidc";
}
