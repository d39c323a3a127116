namespace StudioToken.GitHub.Tests.Fakes;

/// <summary>A workflow command as the runner parsed it.</summary>
internal sealed record ParsedWorkflowCommand(string Name, IReadOnlyDictionary<string, string> Properties, string Data);

/// <summary>
/// Parses one output line the way the runner does (actions/runner ActionCommand.TryParseV2): <c>::</c> after leading
/// white space, the command info up to the next <c>::</c>, properties split at <c>,</c> and their first <c>=</c>, then
/// unescaping of <c>%0D</c>, <c>%0A</c> (and <c>%3A</c>, <c>%2C</c> in properties) before <c>%25</c>.
/// </summary>
internal static class RunnerWorkflowCommands
{
    private const string CommandKey = "::";

    public static ParsedWorkflowCommand? TryParse(string line)
    {
        var message = line.TrimStart();
        if (!message.StartsWith(CommandKey, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf(CommandKey, CommandKey.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var info = message[CommandKey.Length..end];
        var space = info.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? info : info[..space];
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (space > 0)
        {
            foreach (var property in info[(space + 1)..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
                if (pair.Length == 2)
                {
                    properties[pair[0]] = UnescapeProperty(pair[1]);
                }
            }
        }

        return new ParsedWorkflowCommand(name, properties, UnescapeData(message[(end + CommandKey.Length)..]));
    }

    public static string UnescapeData(string escaped) => escaped
        .Replace("%0D", "\r", StringComparison.Ordinal)
        .Replace("%0A", "\n", StringComparison.Ordinal)
        .Replace("%25", "%", StringComparison.Ordinal);

    public static string UnescapeProperty(string escaped) => escaped
        .Replace("%0D", "\r", StringComparison.Ordinal)
        .Replace("%0A", "\n", StringComparison.Ordinal)
        .Replace("%3A", ":", StringComparison.Ordinal)
        .Replace("%2C", ",", StringComparison.Ordinal)
        .Replace("%25", "%", StringComparison.Ordinal);
}
