using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace StudioToken.TestServer.Federation;

/// <summary>The outcome of checking a CI platform's ID token against a client's <see cref="FederatedCredential"/>.</summary>
internal sealed record FederatedValidation(ClaimsPrincipal? Principal, string? Failure);

/// <summary>
/// Checks an ID token the way Entra ID checks a federated identity credential: signed (RS256) by a key from the
/// issuer's JWKS, <c>iss</c> and <c>aud</c> exactly the trusted ones, <c>exp</c> not passed, and <c>sub</c> exactly the
/// trusted subject. The header's <c>typ</c> is not checked: both platforms send plain <c>JWT</c>.
/// </summary>
internal sealed class FederatedAssertionValidator(TrustedIssuerKeys keys, TimeProvider timeProvider)
{
    /// <summary>Tolerance for clocks that disagree; an expired token in the tests is far past it.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<FederatedValidation> ValidateAsync(string token, FederatedCredential credential, CancellationToken cancellationToken)
    {
        IList<SecurityKey> signingKeys;
        try
        {
            signingKeys = await keys.GetAsync(credential, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException or KeyNotFoundException)
        {
            return new(null, "the signing keys of the trusted issuer could not be fetched");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = credential.Issuer,
            ValidAudience = credential.Audience,
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            // Lifetime is checked below against the injected clock, which this library's parameters cannot take.
            ValidateLifetime = false,
            NameClaimType = JwtRegisteredClaimNames.Sub,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return new(null, Describe(result.Exception));
        }

        var lifetimeFailure = CheckLifetime((JsonWebToken)result.SecurityToken, timeProvider.GetUtcNow());
        if (lifetimeFailure is not null)
        {
            return new(null, lifetimeFailure);
        }

        // Exact match, no patterns: a federated credential names one repository and ref, or one service connection.
        return result.ClaimsIdentity.Name == credential.Subject
            ? new(new ClaimsPrincipal(result.ClaimsIdentity), null)
            : new(null, "the ID token's subject is not the one this client trusts");
    }

    private static string? CheckLifetime(JsonWebToken token, DateTimeOffset now)
    {
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expires))
        {
            return "the ID token has no expiry";
        }

        if (now - ClockSkew >= DateTimeOffset.FromUnixTimeSeconds(expires))
        {
            return "the ID token has expired";
        }

        return token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var notBefore) && now + ClockSkew < DateTimeOffset.FromUnixTimeSeconds(notBefore)
            ? "the ID token is not valid yet"
            : null;
    }

    // Says which check failed without quoting the token: exception messages of the token library may hold parts of it.
    private static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenInvalidIssuerException => "the ID token is not from the issuer this client trusts",
        SecurityTokenInvalidAudienceException => "the ID token is not addressed to the audience this client trusts",
        SecurityTokenInvalidSignatureException => "the ID token is not signed by a key of the issuer this client trusts",
        SecurityTokenMalformedException => "the ID token is not a JWT",
        _ => "the ID token is not valid",
    };
}
