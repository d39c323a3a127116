using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>
/// An assertion someone else signs for this client: a CI platform's OIDC ID token, presented as the client assertion
/// (RFC 7521 §4.2, RFC 7523 §2.2) or exchanged as the subject token (RFC 8693). Such tokens live minutes, so one is
/// asked for every request, retries, refreshes and revocations included.
/// </summary>
public interface IClientAssertionSource
{
    /// <summary>The <c>aud</c> the assertion is asked for; null leaves it to the issuer's default.</summary>
    string? Audience { get; }

    /// <summary>A new assertion. Throws <see cref="TokenRequestException"/> (transient or rejected) when none can be had.</summary>
    Task<Secret> GetAssertionAsync(CancellationToken cancellationToken);
}
