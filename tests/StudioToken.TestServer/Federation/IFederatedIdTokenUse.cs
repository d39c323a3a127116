using System.Security.Claims;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// One way a CI platform's ID token reaches the server (as the client assertion, or as a token exchange's subject
/// token): where it is in the request, how to keep OpenIddict from judging it by the rules for its own tokens, and
/// where the proven principal goes. <see cref="FederatedIdTokenHandlers"/> does the rest the same way for both.
/// </summary>
internal interface IFederatedIdTokenUse
{
    /// <summary>The token's name in a refusal, e.g. "client assertion".</summary>
    static abstract string Name { get; }

    /// <summary>The RFC 6749 §5.2 error code for a refused token.</summary>
    static abstract string RefusalError { get; }

    /// <summary>Runs before OpenIddict's own validation of the token.</summary>
    static abstract int SetAsideOrder { get; }

    /// <summary>Runs after OpenIddict's own checks of the token and before anything relies on its principal.</summary>
    static abstract int AuthenticateOrder { get; }

    /// <summary>Whether OpenIddict is about to validate a JWT it was sent this way.</summary>
    static abstract bool AwaitsValidation(ProcessAuthenticationContext context);

    /// <summary>The token sent this way, if any.</summary>
    static abstract string? Token(ProcessAuthenticationContext context);

    /// <summary>Keeps OpenIddict from validating the token itself.</summary>
    static abstract void SetAside(ProcessAuthenticationContext context);

    /// <summary>Gives OpenIddict the principal of the validated ID token, as it would the one it validated itself.</summary>
    static abstract void Attach(ProcessAuthenticationContext context, ClaimsPrincipal principal);
}
