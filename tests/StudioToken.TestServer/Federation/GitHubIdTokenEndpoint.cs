using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

// GitHub Actions' ID-token request (what @actions/core's getIDToken calls): GET ACTIONS_ID_TOKEN_REQUEST_URL with
// &audience= appended, authorized by ACTIONS_ID_TOKEN_REQUEST_TOKEN; the answer is {"value": "<jwt>"}.
internal static class GitHubIdTokenEndpoint
{
    public const string Path = "github/idtoken";

    public static async Task HandleAsync(HttpContext context, IdTokenIssuer issuer)
    {
        if (await IdTokenHttp.RefuseAsync(context, issuer.GitHubRequestToken, issuer.Answer))
        {
            return;
        }

        string? audience = context.Request.Query["audience"];
        var token = issuer.MintGitHub(string.IsNullOrEmpty(audience) ? issuer.Options.GitHubDefaultAudience : audience);
        await IdTokenHttp.WriteJsonAsync(context.Response, StatusCodes.Status200OK, new JsonObject { ["value"] = token });
    }
}
