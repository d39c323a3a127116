namespace StudioToken.GitHub.Tests.Fakes;

/// <summary>
/// Reads a file command (<c>GITHUB_ENV</c>, <c>GITHUB_OUTPUT</c>, <c>GITHUB_STATE</c>) the way the runner does on Linux
/// (actions/runner EnvFileKeyValuePairs): lines end at LF, empty lines are skipped, <c>NAME=VALUE</c> splits at the
/// first <c>=</c>, <c>NAME&lt;&lt;DELIM</c> takes the lines up to one that is exactly <c>DELIM</c>; whichever of
/// <c>=</c> and <c>&lt;&lt;</c> comes first decides the form.
/// </summary>
internal static class RunnerFileCommands
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var index = 0;
        for (var line = ReadLine(text, ref index, out _); line is not null; line = ReadLine(text, ref index, out _))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var equalsIndex = line.IndexOf('=', StringComparison.Ordinal);
            var heredocIndex = line.IndexOf("<<", StringComparison.Ordinal);
            if (equalsIndex >= 0 && (heredocIndex < 0 || equalsIndex < heredocIndex))
            {
                var name = line[..equalsIndex];
                if (name.Length == 0)
                {
                    throw new FormatException($"Invalid format '{line}'. Name must not be empty");
                }

                pairs.Add(new(name, line[(equalsIndex + 1)..]));
            }
            else if (heredocIndex >= 0)
            {
                var name = line[..heredocIndex];
                var delimiter = line[(heredocIndex + 2)..];
                if (name.Length == 0 || delimiter.Length == 0)
                {
                    throw new FormatException($"Invalid format '{line}'. Name must not be empty and delimiter must not be empty");
                }

                var start = index;
                var end = index;
                var valueLine = ReadLine(text, ref index, out var newline);
                while (!string.Equals(valueLine, delimiter, StringComparison.Ordinal))
                {
                    if (valueLine is null)
                    {
                        throw new FormatException($"Invalid value. Matching delimiter not found '{delimiter}'");
                    }

                    if (newline is null)
                    {
                        throw new FormatException("Invalid value. EOF marker missing new line.");
                    }

                    end = index - newline.Length;
                    valueLine = ReadLine(text, ref index, out newline);
                }

                pairs.Add(new(name, end > start ? text[start..end] : string.Empty));
            }
            else
            {
                throw new FormatException($"Invalid format '{line}'");
            }
        }

        return pairs;
    }

    /// <summary>Reads <paramref name="path"/> and parses it; a missing file holds no commands, as for the runner.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseFile(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : [];

    private static string? ReadLine(string text, ref int index, out string? newline)
    {
        if (index >= text.Length)
        {
            newline = null;
            return null;
        }

        var start = index;
        var lf = text.IndexOf('\n', index);
        if (lf < 0)
        {
            index = text.Length;
            newline = null;
            return text[start..];
        }

        index = lf + 1;
        newline = "\n";
        return text[start..lf];
    }
}
