using System.Text;
using StudioToken.Core.Security;

namespace StudioToken.GitHub.Runner;

/// <summary>
/// Workflow commands (<c>::name prop=value::data</c>) escaped as the runner unescapes them, so no value can end a
/// command early or start another one.
/// </summary>
public static class WorkflowCommands
{
    public static string AddMask(Secret secret) => "::add-mask::" + EscapeData(secret.Reveal());

    public static string Error(string title, string message) => $"::error title={EscapeProperty(title)}::{EscapeData(message)}";

    public static string Warning(string message) => "::warning::" + EscapeData(message);

    public static string Notice(string message) => "::notice::" + EscapeData(message);

    /// <summary>Data: <c>%</c>, CR and LF (actions/runner ActionCommand.UnescapeData).</summary>
    public static string EscapeData(string value) => new StringBuilder(value)
        .Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A").ToString();

    /// <summary>Properties: as data, plus <c>:</c> and <c>,</c>, which separate properties.</summary>
    public static string EscapeProperty(string value) => new StringBuilder(EscapeData(value))
        .Replace(":", "%3A").Replace(",", "%2C").ToString();
}
