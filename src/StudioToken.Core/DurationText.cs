using System.Globalization;

namespace StudioToken.Core;

/// <summary>Durations as users write them: <c>90s</c>, <c>10m</c>, <c>6h</c>, <c>1h30m</c>, <c>500ms</c>, or plain seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        if (long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            return TryFromSeconds(plainSeconds, out duration);
        }

        var totalSeconds = 0.0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[digits..];
            var unitLength = 0;
            while (unitLength < span.Length && char.IsAsciiLetter(span[unitLength]))
            {
                unitLength++;
            }

            double unitSeconds;
            switch (span[..unitLength].ToString().ToLowerInvariant())
            {
                case "ms": unitSeconds = 0.001; break;
                case "s": unitSeconds = 1; break;
                case "m": unitSeconds = 60; break;
                case "h": unitSeconds = 3600; break;
                case "d": unitSeconds = 86400; break;
                default: return false;
            }

            totalSeconds += number * unitSeconds;
            span = span[unitLength..];
        }

        return TryFromSeconds(totalSeconds, out duration);
    }

    /// <summary>Refuses what a <see cref="TimeSpan"/> cannot hold (a typo like 99999999999h) instead of throwing.</summary>
    private static bool TryFromSeconds(double seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Format(-span);
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0}ms");
        }

        if (span < TimeSpan.FromMinutes(2))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#}s");
        }

        var text = span.Hours + ((int)span.TotalDays * 24) > 0 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h") : string.Empty;
        if (span.Minutes > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m");
        }

        if (span.Seconds > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s");
        }

        return text.Length == 0 ? "0s" : text;
    }
}
