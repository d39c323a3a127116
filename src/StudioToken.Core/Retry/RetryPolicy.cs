using StudioToken.Core.OAuth;

namespace StudioToken.Core.Retry;

/// <summary>
/// How soon to try again after a failed token request: capped exponential backoff with full jitter for transient
/// failures (never sooner than the server's Retry-After), and a slow, steady pace for rejections that a quick retry
/// cannot fix.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts for a one-shot fetch (the refresher keeps going until it is stopped).</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pace for rejected credentials or scope and unusable answers: someone has to fix a setting first.</summary>
    public TimeSpan SlowRetryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A one-shot fetch gives up rather than wait longer than this for a Retry-After.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay before the next attempt, after <paramref name="consecutiveFailures"/> failures in a row (1 or more).</summary>
    public TimeSpan DelayAfter(TokenRequestException failure, int consecutiveFailures, Random random)
    {
        if (!failure.IsTransient)
        {
            return Max(SlowRetryInterval, failure.RetryAfter ?? TimeSpan.Zero);
        }

        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var ceiling = TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, exponent)));
        var jittered = ceiling * random.NextDouble();
        return Max(jittered, failure.RetryAfter ?? TimeSpan.Zero);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
