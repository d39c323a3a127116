using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>Everything a step wrote, read back line by line as the agent reads it.</summary>
internal sealed class AgentOutput(string text)
{
    public string Text { get; } = text;

    /// <summary>Lines as the agent's reader (StreamReader.ReadLine) splits them: at CR, LF or CRLF, nothing else.</summary>
    public IReadOnlyList<string> Lines { get; } = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public IEnumerable<ParsedLoggingCommand> Commands => Lines.Select(AgentLoggingCommands.TryParse).OfType<ParsedLoggingCommand>();

    public IEnumerable<ParsedLoggingCommand> Named(string name) => Commands.Where(command => command.Name == name);

    public IEnumerable<string> Issues(string type) =>
        Named("task.logissue").Where(command => command.Property("type") == type).Select(command => command.Data);

    /// <summary>The value of a <c>task.setvariable</c>; fails unless it was set exactly once.</summary>
    public ParsedLoggingCommand Variable(string name)
    {
        var set = Named("task.setvariable").Where(command => command.Property("variable") == name).ToList();
        Assert.That(set, Has.Count.EqualTo(1), $"task.setvariable {name} once\n{Text}");
        return set[0];
    }

    /// <summary>What the agent hands the post-job step of this task instance.</summary>
    public Dictionary<string, string> TaskVariables() => AgentLoggingCommands.TaskVariables(Lines);

    /// <summary>
    /// The client secret may appear only in the <c>task.setsecret</c> line that registers it; the token only in its own
    /// <c>task.setsecret</c> line and in the secret <c>STUDIO_TOKEN</c> variable. Anywhere else, in any encoding, is a
    /// leak, including the agent's own escaping: a command's values are scanned as the agent unescapes them too.
    /// </summary>
    public void AssertNoLeak(string clientSecret, string? token = null)
    {
        SecretScan.AssertAbsent(AsTheAgentSeesThem(Lines.Where(line => !Registers(line, clientSecret))), clientSecret, "the client secret");

        if (token is not null)
        {
            SecretScan.AssertAbsent(AsTheAgentSeesThem(Lines.Where(line => !Registers(line, token) && !IsSecretTokenVariable(line, token))), token, "the token");
        }
    }

    /// <summary>Each line as written and, for a logging command, its property values and data unescaped.</summary>
    private static string AsTheAgentSeesThem(IEnumerable<string> lines) =>
        string.Join('\n', lines.SelectMany(line => AgentLoggingCommands.TryParse(line) is { } command
            ? [line, command.Data, .. command.Properties.Values]
            : new[] { line }));

    /// <summary>Index of the first line holding <paramref name="value"/> raw, or -1.</summary>
    public int FirstLineContaining(string value)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i].Contains(value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool Registers(string line, string secret) =>
        AgentLoggingCommands.TryParse(line) is { Name: "task.setsecret" } command && command.Data == secret;

    private static bool IsSecretTokenVariable(string line, string token) =>
        AgentLoggingCommands.TryParse(line) is { Name: "task.setvariable" } command
        && command.Property("variable") == "STUDIO_TOKEN"
        && command.Property("issecret") == "true"
        && command.Data == token;

    public override string ToString() => Text;
}
