namespace StudioToken.Core.OAuth;

/// <summary>
/// How to authenticate at a discovered server: the method the user chose, if the server lists it; otherwise the first
/// of the methods the user's credentials allow that the server lists. Both failures are configuration errors that
/// name what the server supports.
/// </summary>
public static class ClientAuthMethodChoice
{
    /// <summary>What a client secret allows, most preferred first: Basic is the one RFC 6749 requires servers to support.</summary>
    public static readonly IReadOnlyList<ClientAuthMethod> WithClientSecret = [ClientAuthMethod.ClientSecretBasic, ClientAuthMethod.ClientSecretPost];

    /// <summary>What the credentials in <paramref name="request"/> allow, most preferred first: a private key given says the user means private_key_jwt.</summary>
    public static IReadOnlyList<ClientAuthMethod> UsableWith(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var usable = new List<ClientAuthMethod>();
        if (request.ClientAssertionKey is not null)
        {
            usable.Add(ClientAuthMethod.PrivateKeyJwt);
        }

        if (request.ClientSecret is not null)
        {
            usable.AddRange(WithClientSecret);
        }

        return usable;
    }

    /// <param name="serverMethods">The metadata's <c>token_endpoint_auth_methods_supported</c>.</param>
    /// <param name="chosen">The user's explicit choice, or null to choose here.</param>
    /// <param name="usable">What the user's credentials allow, most preferred first.</param>
    /// <param name="issuer">The server, for the message.</param>
    public static ClientAuthMethod Choose(IReadOnlyList<string> serverMethods, ClientAuthMethod? chosen, IReadOnlyList<ClientAuthMethod> usable, Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(serverMethods);
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(issuer);

        if (chosen is { } method)
        {
            return Lists(serverMethods, method)
                ? method
                : throw new TokenConfigurationException("client-auth", method.IsFederated()
                    ? $"{method.ToWireName()} presents a JWT assertion, and {issuer.AbsoluteUri} does not list private_key_jwt; it supports {Describe(serverMethods)}"
                    : $"{method.ToWireName()} is not supported by {issuer.AbsoluteUri}; it supports {Describe(serverMethods)}");
        }

        foreach (var candidate in usable)
        {
            if (Lists(serverMethods, candidate))
            {
                return candidate;
            }
        }

        throw new TokenConfigurationException("client-auth", $"{issuer.AbsoluteUri} supports only {Describe(serverMethods)}, none of which the credentials given allow ({string.Join(", ", usable.Select(m => m.ToWireName()))})");
    }

    private static bool Lists(IReadOnlyList<string> serverMethods, ClientAuthMethod method) =>
        serverMethods.Contains(method.ToServerMethodName(), StringComparer.OrdinalIgnoreCase);

    private static string Describe(IReadOnlyList<string> serverMethods) =>
        serverMethods.Count == 0 ? "no client authentication method" : TokenResponseParser.OneLine(string.Join(", ", serverMethods), 200);
}
