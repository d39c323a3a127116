namespace StudioToken.Core.OAuth;

/// <summary>Which grant asks for the token.</summary>
public enum TokenGrant
{
    /// <summary>RFC 6749 §4.4: the client's own credentials; the default.</summary>
    ClientCredentials,

    /// <summary>
    /// RFC 8693: a federated ID token (<see cref="ClientAuthMethod.GitHubOidc"/>, <see cref="ClientAuthMethod.AzureOidc"/>)
    /// goes as the <c>subject_token</c> instead of as a client assertion, for servers that trust foreign issuers that way.
    /// </summary>
    TokenExchange,
}

/// <summary>The wire names of <see cref="TokenGrant"/>.</summary>
public static class TokenGrantNames
{
    public const string ClientCredentials = "client_credentials";
    public const string TokenExchange = "token-exchange";
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The subject token type a CI platform's ID token is sent as unless told otherwise (RFC 8693 §3): it is a JWT.</summary>
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    public static bool TryParse(string? text, out TokenGrant grant)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case ClientCredentials:
                grant = TokenGrant.ClientCredentials;
                return true;
            case TokenExchange or "token_exchange" or TokenExchangeGrantType:
                grant = TokenGrant.TokenExchange;
                return true;
            default:
                grant = default;
                return false;
        }
    }

    public static string ToWireName(this TokenGrant grant) => grant == TokenGrant.TokenExchange ? TokenExchange : ClientCredentials;
}
