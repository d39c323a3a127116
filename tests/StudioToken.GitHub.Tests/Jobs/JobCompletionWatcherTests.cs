using Microsoft.Extensions.Time.Testing;
using Moq;
using StudioToken.Core;
using StudioToken.GitHub.Jobs;

namespace StudioToken.GitHub.Tests.Jobs;

public sealed class JobCompletionWatcherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly Mock<ITokenLog> _log = new();

    [Test]
    public async Task Asks_once_per_interval_and_returns_when_the_job_has_completed()
    {
        var source = new Mock<IJobStatusSource>(MockBehavior.Strict);
        source.SetupSequence(s => s.GetStateAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync((JobState.Running, null))
            .ReturnsAsync((JobState.Completed, null));
        var watching = new JobCompletionWatcher(source.Object, _clock, _log.Object).WaitForCompletionAsync(Interval, CancellationToken.None);

        _clock.Advance(Interval - TimeSpan.FromSeconds(1));
        source.Verify(s => s.GetStateAsync(It.IsAny<CancellationToken>()), Times.Never);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(watching.IsCompleted, Is.False);
        _clock.Advance(Interval);

        Assert.That(await watching, Is.True);
        source.Verify(s => s.GetStateAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        _log.Verify(l => l.Information(It.Is<string>(m => m.Contains("completed", StringComparison.Ordinal))), Times.Once);
    }

    [Test]
    public void An_API_that_cannot_answer_warns_once_and_keeps_watching()
    {
        var source = new Mock<IJobStatusSource>();
        source.Setup(s => s.GetStateAsync(It.IsAny<CancellationToken>())).ReturnsAsync((JobState.Unknown, "the GitHub API answered 403"));
        var watching = new JobCompletionWatcher(source.Object, _clock, _log.Object).WaitForCompletionAsync(Interval, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(Interval);
        }

        Assert.That(watching.IsCompleted, Is.False);
        _log.Verify(l => l.Warning(It.Is<string>(m => m.Contains("403", StringComparison.Ordinal))), Times.Once);
        source.Verify(s => s.GetStateAsync(It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public async Task Returns_false_when_the_refresher_stops_first()
    {
        var source = new Mock<IJobStatusSource>(MockBehavior.Strict);
        using var stop = new CancellationTokenSource();
        var watching = new JobCompletionWatcher(source.Object, _clock, _log.Object).WaitForCompletionAsync(Interval, stop.Token);

        await stop.CancelAsync();

        Assert.That(await watching, Is.False);
    }
}
