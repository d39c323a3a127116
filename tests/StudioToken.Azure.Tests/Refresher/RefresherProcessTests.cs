using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Azure.Refresher;
using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Refresher;

/// <summary>
/// Stopping the background refresher, with real child processes standing in for it. The clock is the test's: it
/// moves past a poll only once the child has really ended, so no test waits on the wall clock, only on a process.
/// </summary>
[TestFixture]
[Platform("Linux")]
[CancelAfter(30_000)]
public sealed class RefresherProcessTests
{
    private const int TerminatedBySigterm = 128 + 15;
    private const int KilledBySigkill = 128 + 9;

    private readonly List<Process> _children = [];

    [TearDown]
    public void KillChildren()
    {
        foreach (var child in _children)
        {
            if (!child.HasExited)
            {
                child.Kill();
                child.WaitForExit();
            }

            child.Dispose();
        }

        _children.Clear();
    }

    [Test]
    public async Task A_process_that_does_not_exist_had_already_stopped(CancellationToken cancellationToken)
    {
        // Linux pids never reach int.MaxValue (pid_max is at most 2^22).
        var handle = new RefresherHandle(int.MaxValue, new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

        var result = await new RefresherProcess(new FakeTimeProvider()).StopAsync(handle, cancellationToken);

        Assert.That(result, Is.EqualTo("had already stopped"));
    }

    [Test]
    public async Task A_running_refresher_is_stopped_with_SIGTERM(CancellationToken cancellationToken)
    {
        var child = Start("sleep", "30");
        var clock = new TimerDrivenClock();

        var stopping = new RefresherProcess(clock).StopAsync(HandleOf(child), cancellationToken);
        await AdvanceEachPollOnceTheChildHasEndedAsync(clock, child, stopping, cancellationToken);

        Assert.That(await stopping, Is.EqualTo("stopped"));
        await child.WaitForExitAsync(cancellationToken);
        Assert.That(child.ExitCode, Is.EqualTo(TerminatedBySigterm), "ended by SIGTERM, not by the end of its sleep");
    }

    [Test]
    public async Task A_process_started_at_another_time_is_left_alone(CancellationToken cancellationToken)
    {
        var child = Start("sleep", "30");
        var reused = HandleOf(child) with { StartedAt = HandleOf(child).StartedAt.AddMinutes(-5) };

        var result = await new RefresherProcess(new FakeTimeProvider()).StopAsync(reused, cancellationToken);

        Assert.That(result, Is.EqualTo("had already stopped"));
        Assert.That(child.HasExited, Is.False, "a process that merely reuses the refresher's pid must not be signalled");
    }

    [Test]
    public async Task A_start_time_a_second_off_still_matches(CancellationToken cancellationToken)
    {
        var child = Start("sleep", "30");
        var handle = HandleOf(child) with { StartedAt = HandleOf(child).StartedAt.AddMilliseconds(900) };
        var clock = new TimerDrivenClock();

        var stopping = new RefresherProcess(clock).StopAsync(handle, cancellationToken);
        await AdvanceEachPollOnceTheChildHasEndedAsync(clock, child, stopping, cancellationToken);

        Assert.That(await stopping, Is.EqualTo("stopped"));
    }

    [Test]
    public async Task A_refresher_that_ignores_SIGTERM_is_killed_after_ten_seconds(CancellationToken cancellationToken)
    {
        // SIGTERM ignored before "ready", and an ignored signal stays ignored across exec.
        var child = Start("sh", "-c", "trap '' TERM; echo ready; exec sleep 30");
        Assert.That(await child.StandardOutput.ReadLineAsync(cancellationToken), Is.EqualTo("ready"));
        var clock = new TimerDrivenClock();

        var stopping = new RefresherProcess(clock).StopAsync(HandleOf(child), cancellationToken);
        var poll = await clock.NextTimerAsync(cancellationToken);
        Assert.That(child.HasExited, Is.False, "SIGTERM is ignored");
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.That(await stopping, Does.StartWith("killed"));
        Assert.That(poll, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        await child.WaitForExitAsync(cancellationToken);
        Assert.That(child.ExitCode, Is.EqualTo(KilledBySigkill));
    }

    private Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var child = Process.Start(start) ?? throw new AssertionException($"{program} did not start");
        _children.Add(child);
        return child;
    }

    private static RefresherHandle HandleOf(Process child) => new(child.Id, child.StartTime.ToUniversalTime());

    /// <summary>Lets each 100 ms poll pass only once the child has ended, so "stopped" never races the 10 s kill deadline.</summary>
    private static async Task AdvanceEachPollOnceTheChildHasEndedAsync(TimerDrivenClock clock, Process child, Task stopping, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!stopping.IsCompleted)
        {
            var started = clock.NextTimerAsync(stop.Token);
            if (await Task.WhenAny(stopping, started) != started)
            {
                break;
            }

            var dueTime = await started;
            await child.WaitForExitAsync(cancellationToken);
            clock.Advance(dueTime);
        }

        await stop.CancelAsync();
    }
}
