namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// Reads a file command (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE) by the runner's rules (actions/runner
/// SetEnvFileCommand): <c>NAME=VALUE</c> split at the first '=', or <c>NAME&lt;&lt;DELIMITER</c> … <c>DELIMITER</c>.
/// </summary>
public static class FileCommandFile
{
    public static Dictionary<string, string> Parse(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = File.ReadAllText(path);
        if (text.Length == 0)
        {
            return result;
        }

        Assert.That(text, Does.EndWith("\n"), "the runner requires the end marker to be followed by a newline");
        var lines = text[..^1].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                Assert.That(delimiter, Is.Not.Empty, $"empty delimiter for {name}");
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }

                Assert.That(i, Is.LessThan(lines.Length), $"no end marker {delimiter} for {name}");
                result[name] = string.Join('\n', value);
            }
            else
            {
                Assert.That(equals, Is.GreaterThan(0), $"line without '=' or '<<': {line}");
                result[line[..equals]] = line[(equals + 1)..];
            }
        }

        return result;
    }
}
