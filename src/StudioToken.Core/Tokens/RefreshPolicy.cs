namespace StudioToken.Core.Tokens;

/// <summary>
/// When to refresh: at <see cref="RefreshAt"/> of the lifetime, moved by up to ±<see cref="Jitter"/> of the lifetime
/// so that many jobs started together do not all call the endpoint in the same second.
/// </summary>
public sealed record RefreshPolicy
{
    public const double DefaultRefreshAt = 0.5;
    public const double DefaultJitter = 0.05;

    public double RefreshAt { get; init; } = DefaultRefreshAt;

    public double Jitter { get; init; } = DefaultJitter;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt; refresh-at &lt; 1 and 0 ≤ jitter &lt; 0.5.</summary>
    public void Validate()
    {
        if (!(RefreshAt > 0 && RefreshAt < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RefreshAt), RefreshAt, "refresh-at must be a fraction of the lifetime between 0 and 1 (exclusive), e.g. 0.5");
        }

        if (!(Jitter >= 0 && Jitter < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "jitter must be between 0 and 0.5");
        }
    }

    /// <summary>The moment to refresh a token issued at <paramref name="issuedAt"/> that expires at <paramref name="expiresOn"/>.</summary>
    public DateTimeOffset RefreshOn(DateTimeOffset issuedAt, DateTimeOffset expiresOn, Random random)
    {
        var lifetime = expiresOn - issuedAt;
        if (lifetime <= TimeSpan.Zero)
        {
            return issuedAt;
        }

        var offset = (random.NextDouble() * 2 - 1) * Jitter;
        var fraction = Math.Clamp(RefreshAt + offset, 0.01, 0.99);
        return issuedAt + lifetime * fraction;
    }
}
