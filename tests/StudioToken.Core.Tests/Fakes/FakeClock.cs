using Microsoft.Extensions.Time.Testing;

namespace StudioToken.Core.Tests.Fakes;

internal static class FakeClock
{
    /// <summary>
    /// Advances in steps of <paramref name="step"/>. One <see cref="FakeTimeProvider.Advance(TimeSpan)"/> fires only the
    /// timers that exist when it is called, at its end time; a delay the code starts from inside a fired timer waits for
    /// the next step. Stepping lets chains of delays (backoff, polling) run as they would on a real clock.
    /// </summary>
    public static void AdvanceInSteps(this FakeTimeProvider time, TimeSpan total, TimeSpan step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var end = time.GetUtcNow() + total;
        while (time.GetUtcNow() < end)
        {
            var remaining = end - time.GetUtcNow();
            time.Advance(remaining < step ? remaining : step);
        }
    }
}
