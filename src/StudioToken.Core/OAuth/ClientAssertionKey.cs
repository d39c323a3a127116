using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>
/// What <see cref="ClientAuthMethod.PrivateKeyJwt"/> needs besides the client id: the private key, as PEM and kept a
/// <see cref="Secret"/> (PKCS#8 <c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c> or <c>EC PRIVATE KEY</c>; RSA signs RS256,
/// EC P-256/P-384/P-521 sign ES256/ES384/ES512), and how the assertion is addressed and typed.
/// </summary>
/// <remarks>
/// Servers disagree on <c>aud</c> and <c>typ</c>. The token endpoint URL as <c>aud</c> is what RFC 7523 §3 names
/// first, what Okta and Entra ID require and what Keycloak accepts, and <c>typ: JWT</c> is what they all accept, so
/// those are the defaults. OpenIddict 7, Auth0 and servers following draft-ietf-oauth-rfc7523bis want the issuer as
/// <c>aud</c> (and OpenIddict <c>typ: client-authentication+jwt</c>): set <see cref="Audience"/> and
/// <see cref="Type"/> for them.
/// </remarks>
public sealed record ClientAssertionKey(Secret PrivateKeyPem)
{
    /// <summary>The <c>typ</c> header most servers accept.</summary>
    public const string DefaultType = "JWT";

    /// <summary>The JWS <c>kid</c> header, for servers that hold several keys for one client; null sends none.</summary>
    public string? KeyId { get; init; }

    /// <summary>The <c>aud</c> claim; null means the URL of the token endpoint (see the remarks).</summary>
    public string? Audience { get; init; }

    /// <summary>The JWS <c>typ</c> header (see the remarks).</summary>
    public string Type { get; init; } = DefaultType;

    /// <summary>
    /// Why the key cannot sign an assertion, as a sentence to follow where the key came from (a file name, a variable);
    /// null when it can. Never quotes the key.
    /// </summary>
    public string? KeyProblem()
    {
        using var key = AssertionSigningKey.TryImport(PrivateKeyPem, out var problem);
        return problem;
    }

    /// <summary>Every setting of the key that is wrong, named as the CLI's options are.</summary>
    internal IEnumerable<TokenConfigurationException> Problems()
    {
        if (KeyProblem() is { } keyProblem)
        {
            yield return new TokenConfigurationException("private-key", keyProblem);
        }

        if (KeyId is not null && (KeyId.Length == 0 || KeyId.Any(char.IsControl)))
        {
            yield return new TokenConfigurationException("key-id", "must be non-empty text without control characters, the kid the server knows the key by");
        }

        if (Audience is not null && (string.IsNullOrWhiteSpace(Audience) || Audience.Any(char.IsControl)))
        {
            yield return new TokenConfigurationException("assertion-audience", "must be non-empty text without control characters, e.g. the issuer https://id.example.com/");
        }

        if (string.IsNullOrWhiteSpace(Type) || Type.Any(char.IsControl))
        {
            yield return new TokenConfigurationException("assertion-type", $"must be non-empty text without control characters, e.g. {DefaultType} or client-authentication+jwt");
        }
    }
}
