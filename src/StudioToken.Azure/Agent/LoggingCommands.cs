using System.Text;

namespace StudioToken.Azure.Agent;

/// <summary>
/// <c>##vso[area.event k=v;...]data</c> lines, escaped as azure-pipelines-task-lib escapes them and the agent
/// unescapes them: data <c>%</c> → <c>%AZP25</c>, CR, LF; property values also <c>]</c> and <c>;</c>.
/// </summary>
public static class LoggingCommands
{
    public const string Prefix = "##vso[";

    public static string SetSecret(string value) => Format("task.setsecret", [], value);

    public static string SetVariable(string name, string value, bool isSecret = false) =>
        Format("task.setvariable", isSecret ? [new("variable", name), new("issecret", "true")] : [new("variable", name)], value);

    /// <summary>A variable only this task instance's post-job step sees, as <c>VSTS_TASKVARIABLE_NAME</c>.</summary>
    public static string SetTaskVariable(string name, string value) => Format("task.settaskvariable", [new("variable", name)], value);

    public static string PrependPath(string directory) => Format("task.prependpath", [], directory);

    public static string LogIssue(string type, string message) => Format("task.logissue", [new("type", type)], message);

    public static string Format(string command, IReadOnlyList<KeyValuePair<string, string>> properties, string data)
    {
        var line = new StringBuilder(Prefix).Append(command);
        for (var i = 0; i < properties.Count; i++)
        {
            line.Append(i == 0 ? ' ' : ';').Append(properties[i].Key).Append('=').Append(EscapeProperty(properties[i].Value));
        }

        return line.Append(']').Append(EscapeData(data)).ToString();
    }

    public static string EscapeData(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) =>
        EscapeData(value).Replace("]", "%5D", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);

    /// <summary>
    /// Text for a plain log line that the agent will not read as a command: it looks for <c>##vso[</c> anywhere in
    /// a line and for <c>##[</c> formatting at its start, and a token endpoint's error description is not ours to trust.
    /// </summary>
    public static string Neutralize(string text) =>
        text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            .Replace("##vso[", "##vso [", StringComparison.OrdinalIgnoreCase).Replace("##[", "## [", StringComparison.Ordinal);
}
