using System.Globalization;
using StudioToken.Azure.Agent;
using StudioToken.Azure.Refresher;
using StudioToken.Core.OAuth;

namespace StudioToken.Azure.Steps;

/// <summary>
/// What the main step leaves for the post-job step, as task variables (<c>##vso[task.settaskvariable]</c>), which the
/// agent hands to this task instance's post-job step alone, as <c>VSTS_TASKVARIABLE_NAME</c>.
/// </summary>
public static class TaskState
{
    public const string TokenDirVariable = "studioTokenDir";
    public const string RefresherPidVariable = "studioTokenRefresherPid";
    public const string RefresherStartedVariable = "studioTokenRefresherStarted";
    public const string DiscoveredVariable = "studioTokenDiscovered";

    public static string TokenDir(string directory) => LoggingCommands.SetTaskVariable(TokenDirVariable, directory);

    public static IEnumerable<string> Refresher(RefresherHandle handle) =>
    [
        LoggingCommands.SetTaskVariable(RefresherPidVariable, handle.ProcessId.ToString(CultureInfo.InvariantCulture)),
        LoggingCommands.SetTaskVariable(RefresherStartedVariable, handle.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>With an issuer: what main discovered, so the post-job step revokes where the tokens came from.</summary>
    public static string Discovered(DiscoveredClient discovered) => LoggingCommands.SetTaskVariable(DiscoveredVariable, discovered.ToJson());

    public static string? ReadTokenDir(Func<string, string?> environment) => Read(environment, TokenDirVariable);

    public static DiscoveredClient? ReadDiscovered(Func<string, string?> environment) => DiscoveredClient.FromJson(Read(environment, DiscoveredVariable));

    public static RefresherHandle? ReadRefresher(Func<string, string?> environment) =>
        int.TryParse(Read(environment, RefresherPidVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
        && long.TryParse(Read(environment, RefresherStartedVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new RefresherHandle(pid, new DateTimeOffset(ticks, TimeSpan.Zero))
            : null;

    private static string? Read(Func<string, string?> environment, string name) =>
        environment("VSTS_TASKVARIABLE_" + name.ToUpperInvariant()) is { Length: > 0 } value ? value : null;
}
