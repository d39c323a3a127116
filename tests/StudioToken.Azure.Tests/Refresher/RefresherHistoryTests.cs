using StudioToken.Azure.Refresher;
using StudioToken.Azure.Tests.Fakes;

namespace StudioToken.Azure.Tests.Refresher;

[TestFixture]
public sealed class RefresherHistoryTests
{
    private TemporaryDirectory _directory = null!;

    private string LogFile => _directory.Combine(RefresherProcess.LogFileName);

    [SetUp]
    public void SetUp() => _directory = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Counts_refreshes_and_failures()
    {
        File.WriteAllLines(LogFile,
        [
            "studio-token refresh: keeping /tmp/x/token fresh",
            "refreshed: generation 2, expires 2026-01-15T10:00:00Z, next refresh in 30m",
            "warning: refresh failed: token endpoint answered 503 ServiceUnavailable; keeping the current token, next try in 1s",
            "warning: attempt 1 of 5 failed: something else",
            "refreshed: generation 3, expires 2026-01-15T10:30:00Z, next refresh in 30m",
            "refresh failed: without the warning prefix is not counted",
        ]);

        var history = RefresherHistory.Read(LogFile);

        Assert.That(history, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(history!.Refreshes, Is.EqualTo(2));
            Assert.That(history.Failures, Is.EqualTo(1));
            Assert.That(history.Lines, Has.Count.EqualTo(6));
            Assert.That(history.OmittedLines, Is.Zero);
        });
    }

    [Test]
    public void Keeps_the_last_40_lines_and_counts_what_it_left_out()
    {
        var lines = Enumerable.Range(1, 100).Select(i => i % 10 == 0 ? $"warning: refresh failed: number {i}" : $"refreshed: generation {i}").ToArray();
        File.WriteAllLines(LogFile, lines);

        var history = RefresherHistory.Read(LogFile)!;

        Assert.Multiple(() =>
        {
            Assert.That(history.Lines, Is.EqualTo(lines[60..]));
            Assert.That(history.OmittedLines, Is.EqualTo(60));
            Assert.That(history.Refreshes, Is.EqualTo(90), "counted over the whole log, not just the lines kept");
            Assert.That(history.Failures, Is.EqualTo(10));
        });
    }

    [Test]
    public void Exactly_40_lines_are_all_kept()
    {
        var lines = Enumerable.Range(1, RefresherHistory.MaxLines).Select(i => $"line {i}").ToArray();
        File.WriteAllLines(LogFile, lines);

        var history = RefresherHistory.Read(LogFile)!;

        Assert.That(history.Lines, Is.EqualTo(lines));
        Assert.That(history.OmittedLines, Is.Zero);
    }

    [Test]
    public void An_empty_log_is_an_empty_history()
    {
        File.WriteAllText(LogFile, string.Empty);

        var history = RefresherHistory.Read(LogFile)!;

        Assert.That((history.Refreshes, history.Failures, history.Lines.Count, history.OmittedLines), Is.EqualTo((0, 0, 0, 0)));
    }

    [Test]
    public void A_missing_log_is_no_history() =>
        Assert.That(RefresherHistory.Read(LogFile), Is.Null);

    [Test]
    public void A_log_in_a_missing_directory_is_no_history() =>
        Assert.That(RefresherHistory.Read(_directory.Combine("gone", RefresherProcess.LogFileName)), Is.Null);
}
