using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StudioToken.TestServer;

// Passthrough mode: OpenIddict has already authenticated the client (or, in a token exchange, validated the subject
// token) and checked the grant type and that the scopes exist; this endpoint checks the client may use them and
// decides what the access token says: whichever the grant, it names the client.
internal static class TokenEndpoint
{
    public static async Task IssueAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server did not handle this request.");
        if (!(request.IsClientCredentialsGrantType() || request.IsTokenExchangeGrantType()) || request.ClientId is null)
        {
            throw new InvalidOperationException("Only client_credentials and token exchange are enabled, so OpenIddict should have rejected this.");
        }

        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(request.ClientId, context.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict authenticated a client that is not registered.");

        var scopes = request.GetScopes();
        var refused = await FirstUnpermittedScopeAsync(applications, application, scopes, context.RequestAborted);
        if (refused is not null)
        {
            await RefuseScopeAsync(context, refused);
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetScopes(scopes);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        await context.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static async Task<string?> FirstUnpermittedScopeAsync(
        IOpenIddictApplicationManager applications, object application, IEnumerable<string> requested, CancellationToken ct)
    {
        foreach (var scope in requested)
        {
            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope, ct))
            {
                return scope;
            }
        }

        return null;
    }

    // RFC 6749 §5.2 names this case invalid_scope; OpenIddict's own permission check answers invalid_request,
    // which real servers the client targets do not, so the check is done here instead (see IgnoreScopePermissions).
    private static Task RefuseScopeAsync(HttpContext context, string scope)
    {
        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidScope,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = $"This client is not allowed the scope '{scope}'.",
        });
        return context.ForbidAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, properties);
    }
}
