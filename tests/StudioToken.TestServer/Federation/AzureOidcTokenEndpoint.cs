using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

// Azure Pipelines' OIDC token request: POST System.OidcRequestUri?serviceConnectionId=...&api-version=...,
// authorized by System.AccessToken; the answer is {"oidcToken": "<jwt>"}.
internal static class AzureOidcTokenEndpoint
{
    public const string Path = "azure/oidctoken";

    public static async Task HandleAsync(HttpContext context, IdTokenIssuer issuer)
    {
        if (await IdTokenHttp.RefuseAsync(context, issuer.AzureAccessToken, issuer.Answer))
        {
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
        {
            await IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status400BadRequest, IdTokenHttp.Message("No api-version was given."));
            return;
        }

        if (context.Request.Query["serviceConnectionId"] != issuer.AzureServiceConnectionId)
        {
            await IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status404NotFound, IdTokenHttp.Message("No such service connection."));
            return;
        }

        await IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status200OK, new JsonObject { ["oidcToken"] = issuer.MintAzure() });
    }
}
