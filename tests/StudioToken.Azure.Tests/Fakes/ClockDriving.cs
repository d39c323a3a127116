using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>Moves a <see cref="TimerDrivenClock"/> past each delay the code under test waits on, until it is done.</summary>
internal static class ClockDriving
{
    /// <summary>
    /// Advances the clock by each timer shorter than <paramref name="requestTimeout"/> (a backoff) until
    /// <paramref name="running"/> finishes, and returns those delays. Timers as long as a request's own timeout are
    /// left alone: a refused connection fails long before it, and firing it would change the failure.
    /// </summary>
    public static async Task<List<TimeSpan>> AdvanceBackoffsUntilDoneAsync(TimerDrivenClock clock, Task running, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        var backoffs = new List<TimeSpan>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!running.IsCompleted)
        {
            var started = clock.NextTimerAsync(stop.Token);
            if (await Task.WhenAny(running, started) != started)
            {
                break;
            }

            var dueTime = await started;
            if (dueTime < requestTimeout)
            {
                backoffs.Add(dueTime);
                clock.Advance(dueTime);
            }
        }

        await stop.CancelAsync();
        return backoffs;
    }
}
