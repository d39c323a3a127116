namespace StudioToken.Core.Internal;

/// <summary>
/// <c>Task.Delay</c> counts whole milliseconds and drops the rest, so a wait of 0.4 ms completes at once and a wait
/// of 5 min 0.4 ms ends 0.4 ms early. A loop that waits until a moment then re-reads the clock would spin on that
/// remainder; on a clock that moves only when told to (a test's), it spins forever inside the timer callback.
/// </summary>
internal static class WholeMilliseconds
{
    /// <summary><paramref name="delay"/> rounded up to the next whole millisecond, so the wait never ends before it.</summary>
    public static TimeSpan RoundUp(TimeSpan delay)
    {
        var remainder = delay.Ticks % TimeSpan.TicksPerMillisecond;
        return remainder > 0 ? TimeSpan.FromTicks(delay.Ticks - remainder + TimeSpan.TicksPerMillisecond) : delay;
    }
}
