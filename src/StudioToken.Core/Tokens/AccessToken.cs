using StudioToken.Core.Security;

namespace StudioToken.Core.Tokens;

/// <summary>
/// A bearer token and its timing, fixed once when issued (as Azure.Core's AccessToken):
/// <see cref="ExpiresOn"/> counts from when the request was sent, so network time only makes it earlier, never later.
/// </summary>
public sealed record AccessToken(Secret Value, string TokenType, string? Scope, DateTimeOffset IssuedAt, DateTimeOffset ExpiresOn, DateTimeOffset RefreshOn)
{
    public TimeSpan Lifetime => ExpiresOn - IssuedAt;

    public TimeSpan RemainingAt(DateTimeOffset now) => ExpiresOn - now;
}
