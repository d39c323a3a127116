using System.Security.Claims;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// Client authentication by a CI platform's ID token sent as the client assertion (RFC 7523 §2.2).
/// </summary>
/// <remarks>
/// OpenIddict 7.9 accepts only assertions a client signs itself (measured in ClientAssertionRulesTests): it picks
/// the keys by <c>iss</c>, wants <c>iss</c> = <c>sub</c> = client_id, <c>aud</c> = its own issuer and the header
/// <c>typ: client-authentication+jwt</c>. A GitHub or Azure ID token fails all four, so no registration of the
/// platform's keys for the client can make OpenIddict accept it. The federation handlers check it as Entra ID and
/// Keycloak check federated credentials instead, and hand OpenIddict the token's principal as the proof of client
/// authentication; OpenIddict still checks the rest (the client exists, is confidential, may use the endpoint, the
/// grant and the scopes).
/// </remarks>
internal sealed class FederatedClientAssertion : IFederatedIdTokenUse
{
    public static string Name => "client assertion";

    public static string RefusalError => Errors.InvalidClient;

    public static int SetAsideOrder => OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order - 500;

    // After the checks of self-signed assertions (which a set-aside one skips), before OpenIddict requires a
    // confidential client to have authenticated.
    public static int AuthenticateOrder => OpenIddictServerHandlers.ValidateClientId.Descriptor.Order - 500;

    public static bool AwaitsValidation(ProcessAuthenticationContext context) =>
        context.ValidateClientAssertion && context.ClientAssertionType == ClientAssertionTypes.JwtBearer;

    public static string? Token(ProcessAuthenticationContext context) => context.ClientAssertion;

    public static void SetAside(ProcessAuthenticationContext context) => context.ValidateClientAssertion = false;

    public static void Attach(ProcessAuthenticationContext context, ClaimsPrincipal principal) => context.ClientAssertionPrincipal = principal;
}
