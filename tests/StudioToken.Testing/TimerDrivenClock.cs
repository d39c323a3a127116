using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace StudioToken.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test each time the code under test starts a timer (a retry delay,
/// a request timeout), so the test advances time exactly when something waits on it, never by guessing with sleeps.
/// </summary>
public sealed class TimerDrivenClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(start);
    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>A fixed, arbitrary start: tests that compare with real expiries pass the real now instead.</summary>
    public TimerDrivenClock()
        : this(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        _started.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    /// <summary>Waits until the code under test starts its next timer and returns that timer's due time.</summary>
    public async Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken = default) =>
        await _started.Reader.ReadAsync(cancellationToken);
}
