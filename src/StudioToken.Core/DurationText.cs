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
            duration = TimeSpan.FromSeconds(plainSeconds);
            return true;
        }

        var total = TimeSpan.Zero;
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

            TimeSpan unit;
            switch (span[..unitLength].ToString().ToLowerInvariant())
            {
                case "ms": unit = TimeSpan.FromMilliseconds(1); break;
                case "s": unit = TimeSpan.FromSeconds(1); break;
                case "m": unit = TimeSpan.FromMinutes(1); break;
                case "h": unit = TimeSpan.FromHours(1); break;
                case "d": unit = TimeSpan.FromDays(1); break;
                default: return false;
            }

            total += unit * number;
            span = span[unitLength..];
        }

        duration = total;
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
