using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

// What a verifier reads to trust the issuer: the OpenID discovery document, whose jwks_uri names the key set.
internal static class DiscoveryEndpoints
{
    public const string ConfigurationPath = ".well-known/openid-configuration";
    public const string KeySetPath = ".well-known/jwks";

    public static Task ConfigurationAsync(HttpContext context, IdTokenIssuer issuer) =>
        IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status200OK, new JsonObject
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.JwksUrl.AbsoluteUri,
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public", "pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["claims_supported"] = new JsonArray("sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository", "repository_owner"),
        });

    public static Task KeySetAsync(HttpContext context, IdTokenIssuer issuer) =>
        IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status200OK, issuer.Signer.JsonWebKeySet());
}
