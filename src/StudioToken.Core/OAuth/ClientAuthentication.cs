using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace StudioToken.Core.OAuth;

/// <summary>Client authentication (RFC 6749 §2.3.1, RFC 7523 §2.2) for every request to the server: token and revocation alike.</summary>
internal static class ClientAuthentication
{
    /// <summary>
    /// Adds the client's credentials to <paramref name="message"/> or <paramref name="form"/> and returns the secret
    /// value that went on the wire (the client secret, or the signed assertion), so a server's echo of it can be redacted.
    /// </summary>
    /// <param name="now">When the request is made: an assertion is issued then.</param>
    /// <param name="federatedAssertion">The ID token from <see cref="TokenRequest.AssertionSource"/>, for the federated methods.</param>
    public static string Apply(TokenRequest client, HttpRequestMessage message, List<KeyValuePair<string, string>> form, DateTimeOffset now, string? federatedAssertion = null)
    {
        switch (client.AuthMethod)
        {
            case ClientAuthMethod.GitHubOidc or ClientAuthMethod.AzureOidc when client.Grant == TokenGrant.TokenExchange:
                // The client is public: the ID token is the exchange's subject (TokenClient adds it), never a credential,
                // so a revocation, which has no subject, carries the client_id alone (RFC 7009 §2.1).
                form.Add(new("client_id", client.ClientId));
                return federatedAssertion ?? string.Empty;
            case ClientAuthMethod.GitHubOidc or ClientAuthMethod.AzureOidc:
                var idToken = federatedAssertion ?? throw new InvalidOperationException("a federated method needs the ID token fetched first");
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_assertion_type", ClientAssertion.JwtBearerType));
                form.Add(new("client_assertion", idToken));
                return idToken;
            case ClientAuthMethod.PrivateKeyJwt:
                // client_id is optional with an assertion (RFC 7521 §4.2) but harmless, and some servers look the client up by it.
                var assertion = ClientAssertion.Create(client, now);
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_assertion_type", ClientAssertion.JwtBearerType));
                form.Add(new("client_assertion", assertion));
                return assertion;
            case ClientAuthMethod.ClientSecretPost:
                var posted = Secret(client);
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_secret", posted));
                return posted;
            default:
                // Id and secret are form-urlencoded before they are joined and base64-encoded.
                var secret = Secret(client);
                var pair = $"{FormEncode(client.ClientId)}:{FormEncode(secret)}";
                message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                return secret;
        }
    }

    /// <summary>
    /// A new ID token when the method is federated and the request carries it; null otherwise. A token exchange
    /// carries it as the subject of a token request only: a revocation by that public client needs none.
    /// </summary>
    public static async Task<string?> FederatedAssertionAsync(TokenRequest client, bool tokenRequest, CancellationToken cancellationToken)
    {
        if (!client.AuthMethod.IsFederated() || (client.Grant == TokenGrant.TokenExchange && !tokenRequest))
        {
            return null;
        }

        var source = client.AssertionSource
            ?? throw new TokenConfigurationException("client-auth", $"{client.AuthMethod.ToWireName()} needs the CI platform's ID token, and none can be asked for here");
        var assertion = (await source.GetAssertionAsync(cancellationToken)).Reveal();
        return BearerTokenSyntax.IsB64Token(assertion)
            ? assertion
            : throw new TokenRequestException(TokenFailureKind.BadResponse, $"the ID token for {client.AuthMethod.ToWireName()} is not a token (empty or holding characters a token cannot)");
    }

    /// <summary>application/x-www-form-urlencoded, as RFC 6749 Appendix B asks: UTF-8, space as '+'.</summary>
    public static string FormEncode(string value) => WebUtility.UrlEncode(value);

    private static string Secret(TokenRequest client) =>
        client.ClientSecret?.Reveal()
        ?? throw new TokenConfigurationException("client-secret", $"is required for {client.AuthMethod.ToWireName()}; give the client secret");
}
