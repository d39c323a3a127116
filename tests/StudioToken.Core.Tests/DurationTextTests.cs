namespace StudioToken.Core.Tests;

[TestFixture]
public sealed class DurationTextTests
{
    [TestCase("90s", 90_000)]
    [TestCase("10m", 600_000)]
    [TestCase("6h", 21_600_000)]
    [TestCase("1h30m", 5_400_000)]
    [TestCase("500ms", 500)]
    [TestCase("45", 45_000)]
    [TestCase("0", 0)]
    [TestCase("1d", 86_400_000)]
    [TestCase("1.5h", 5_400_000)]
    [TestCase("2H", 7_200_000)]
    [TestCase("  10m  ", 600_000)]
    [TestCase("1m30s250ms", 90_250)]
    public void Parses_durations_as_users_write_them(string text, long milliseconds)
    {
        Assert.Multiple(() =>
        {
            Assert.That(DurationText.TryParse(text, out var duration), Is.True);
            Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("abc")]
    [TestCase("10x")]
    [TestCase("h")]
    [TestCase("-5")]
    [TestCase("-5m")]
    [TestCase("5 m")]
    [TestCase("1h 30m")]
    [TestCase("10m5")]
    [TestCase(".")]
    [TestCase("1.2.3s")]
    [TestCase("1,5h")]
    [TestCase("+10")]
    public void Refuses_text_that_is_not_a_duration(string? text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(DurationText.TryParse(text, out var duration), Is.False);
            Assert.That(duration, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [TestCase("99999999999999999")]
    [TestCase("99999999999999h")]
    [TestCase("1e400s")]
    public void Refuses_durations_too_long_for_a_TimeSpan_without_throwing(string text)
    {
        var parsed = true;

        Assert.DoesNotThrow(() => parsed = DurationText.TryParse(text, out _));
        Assert.That(parsed, Is.False);
    }

    [TestCase(90_000, "90s")]
    [TestCase(600_000, "10m")]
    [TestCase(21_600_000, "6h")]
    [TestCase(5_400_000, "1h30m")]
    [TestCase(500, "500ms")]
    [TestCase(1_500, "1.5s")]
    [TestCase(119_000, "119s")]
    [TestCase(120_000, "2m")]
    [TestCase(3_725_000, "1h2m5s")]
    [TestCase(90_000_000, "25h")]
    [TestCase(172_800_000, "48h")]
    [TestCase(-90_000, "-90s")]
    [TestCase(0, "0ms")]
    public void Formats_durations_the_way_it_parses_them(long milliseconds, string text)
    {
        Assert.That(DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(text));
    }

    [TestCase("90s")]
    [TestCase("10m")]
    [TestCase("6h")]
    [TestCase("1h30m")]
    [TestCase("500ms")]
    [TestCase("25h59m59s")]
    public void Round_trips_its_own_format(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(DurationText.TryParse(text, out var duration), Is.True);
            Assert.That(DurationText.Format(duration), Is.EqualTo(text));
        });
    }
}
