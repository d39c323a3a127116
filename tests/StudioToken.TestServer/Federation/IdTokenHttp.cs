using System.Text.Json.Nodes;

namespace StudioToken.TestServer.Federation;

// The HTTP manners both platforms' ID-token endpoints share.
internal static class IdTokenHttp
{
    /// <summary>
    /// Answers 401 unless the request carries exactly <c>Authorization: Bearer {bearer}</c>, and otherwise a refusal
    /// or an outage when the issuer was told to; false when the endpoint should go on.
    /// </summary>
    public static async Task<bool> RefuseAsync(HttpContext context, string bearer, IdTokenAnswer answer)
    {
        if (!HasBearer(context.Request, bearer))
        {
            await WriteJsonAsync(context.Response, StatusCodes.Status401Unauthorized, Message("The bearer token is missing or wrong."));
            return true;
        }

        return await TryRefuseAsync(context.Response, answer);
    }

    private static bool HasBearer(HttpRequest request, string expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(header[Scheme.Length..], expected, StringComparison.Ordinal);
    }

    private static async Task<bool> TryRefuseAsync(HttpResponse response, IdTokenAnswer answer)
    {
        switch (answer)
        {
            case IdTokenAnswer.Forbidden:
                await WriteJsonAsync(response, StatusCodes.Status403Forbidden, Message("This job may not request an ID token."));
                return true;
            case IdTokenAnswer.ServerError:
                await WriteJsonAsync(response, StatusCodes.Status500InternalServerError, Message("The ID token service failed."));
                return true;
            default:
                return false;
        }
    }

    public static Task WriteJsonAsync(HttpResponse response, int status, JsonObject body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(body.ToJsonString());
    }

    public static JsonObject Message(string text) => new() { ["message"] = text };
}
