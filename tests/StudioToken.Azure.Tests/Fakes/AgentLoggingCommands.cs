namespace StudioToken.Azure.Tests.Fakes;

/// <summary>A logging command as the agent parsed it.</summary>
internal sealed record ParsedLoggingCommand(string Area, string Event, IReadOnlyDictionary<string, string> Properties, string Data)
{
    public string Name => Area + "." + Event;

    public string? Property(string name) => Properties.GetValueOrDefault(name);
}

/// <summary>
/// Parses one output line the way the agent does (azure-pipelines-agent Command.TryParse): the first <c>##vso[</c>
/// anywhere in the line, the command info up to the next <c>]</c>, <c>area.event</c> up to the first space,
/// properties split at <c>;</c> and their first <c>=</c> (names case-insensitive), the rest of the line as data.
/// Values are unescaped as CommandStringConvertor does with percent decoding on (the default since agent 2.184.0):
/// <c>%3B</c>, <c>%0D</c>, <c>%0A</c>, <c>%5D</c>, and only then <c>%AZP25</c>.
/// </summary>
internal static class AgentLoggingCommands
{
    private const string Prefix = "##vso[";

    public static ParsedLoggingCommand? TryParse(string line)
    {
        var prefixIndex = line.IndexOf(Prefix, StringComparison.Ordinal);
        if (prefixIndex < 0)
        {
            return null;
        }

        var bracketIndex = line.IndexOf(']', prefixIndex);
        if (bracketIndex < 0)
        {
            return null;
        }

        var commandIndex = prefixIndex + Prefix.Length;
        var info = line[commandIndex..bracketIndex];
        var space = info.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? info : info[..space];
        var areaEvent = name.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (areaEvent.Length != 2)
        {
            return null;
        }

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (space > 0)
        {
            foreach (var property in info[(space + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
                if (pair.Length == 2)
                {
                    properties[pair[0]] = Unescape(pair[1]);
                }
            }
        }

        return new ParsedLoggingCommand(areaEvent[0], areaEvent[1], properties, Unescape(line[(bracketIndex + 1)..]));
    }

    public static string Unescape(string escaped) => escaped
        .Replace("%3B", ";", StringComparison.Ordinal)
        .Replace("%0D", "\r", StringComparison.Ordinal)
        .Replace("%0A", "\n", StringComparison.Ordinal)
        .Replace("%5D", "]", StringComparison.Ordinal)
        .Replace("%AZP25", "%", StringComparison.Ordinal);

    /// <summary>
    /// What the agent hands this task instance's post-job step for each <c>task.settaskvariable</c>:
    /// <c>VSTS_TASKVARIABLE_</c> + the name upper-cased with <c>.</c> and spaces as <c>_</c> (VarUtil.ConvertToEnvVariableFormat).
    /// </summary>
    public static Dictionary<string, string> TaskVariables(IEnumerable<string> lines)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in lines.Select(TryParse).OfType<ParsedLoggingCommand>().Where(c => c.Name == "task.settaskvariable"))
        {
            var name = command.Property("variable") ?? throw new AssertionException("task.settaskvariable without a variable property");
            variables["VSTS_TASKVARIABLE_" + name.Replace('.', '_').Replace(' ', '_').ToUpperInvariant()] = command.Data;
        }

        return variables;
    }
}
