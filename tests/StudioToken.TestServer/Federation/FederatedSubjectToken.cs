using System.Security.Claims;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// RFC 8693 token exchange of a CI platform's ID token sent as the <c>subject_token</c> (type jwt).
/// </summary>
/// <remarks>
/// OpenIddict 7.9 implements the grant (<c>AllowTokenExchangeFlow</c>) but validates subject tokens as tokens it
/// issued itself; its documentation leaves foreign JWTs to a custom handler. The federation handlers are that handler,
/// checking the ID token exactly as they check a client assertion; OpenIddict still checks the grant, the client, its
/// permissions and the scopes.
/// </remarks>
internal sealed class FederatedSubjectToken : IFederatedIdTokenUse
{
    /// <summary>RFC 8693 §3's type for a JWT that is none of OAuth's own token types, as a CI platform's ID token is sent.</summary>
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    public static string Name => "subject token";

    // RFC 8693 §2.2.2: an unacceptable subject token is invalid_request.
    public static string RefusalError => Errors.InvalidRequest;

    public static int SetAsideOrder => OpenIddictServerHandlers.ValidateSubjectToken.Descriptor.Order - 500;

    public static int AuthenticateOrder => OpenIddictServerHandlers.ValidateSubjectToken.Descriptor.Order + 500;

    public static bool AwaitsValidation(ProcessAuthenticationContext context) =>
        context.ValidateSubjectToken && context.SubjectTokenType == JwtTokenType;

    public static string? Token(ProcessAuthenticationContext context) => context.SubjectToken;

    public static void SetAside(ProcessAuthenticationContext context) => context.ValidateSubjectToken = false;

    public static void Attach(ProcessAuthenticationContext context, ClaimsPrincipal principal) => context.SubjectTokenPrincipal = principal;
}
