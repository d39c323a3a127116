namespace StudioToken.TestServer.Tests.Federation;

/// <summary>The requests studio-token makes with a CI platform's ID token, built by hand to pin the wire format.</summary>
internal static class FederatedRequests
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>client_credentials with the ID token as the client assertion (RFC 7523 §2.2).</summary>
    public static HttpRequestMessage TokenWithAssertion(Uri tokenUrl, string clientId, string idToken) => Post(tokenUrl, new()
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = TestScopes.Script,
        ["client_id"] = clientId,
        ["client_assertion_type"] = JwtBearer,
        ["client_assertion"] = idToken,
    });

    /// <summary>RFC 8693 token exchange with the ID token as the subject and no client authentication.</summary>
    public static HttpRequestMessage TokenExchange(Uri tokenUrl, string clientId, string idToken) => Post(tokenUrl, new()
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
        ["scope"] = TestScopes.Script,
        ["client_id"] = clientId,
        ["subject_token"] = idToken,
        ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
    });

    /// <summary>RFC 7009 revocation, authenticated like the token request.</summary>
    public static HttpRequestMessage RevokeWithAssertion(Uri revocationUrl, string clientId, string idToken, string token) => Post(revocationUrl, new()
    {
        ["token"] = token,
        ["token_type_hint"] = "access_token",
        ["client_id"] = clientId,
        ["client_assertion_type"] = JwtBearer,
        ["client_assertion"] = idToken,
    });

    /// <summary>RFC 7009 revocation by a public client: its client_id and nothing else.</summary>
    public static HttpRequestMessage Revoke(Uri revocationUrl, string clientId, string token) => Post(revocationUrl, new()
    {
        ["token"] = token,
        ["token_type_hint"] = "access_token",
        ["client_id"] = clientId,
    });

    private static HttpRequestMessage Post(Uri url, Dictionary<string, string> form) =>
        new(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
}
