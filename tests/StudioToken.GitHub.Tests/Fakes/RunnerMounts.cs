using StudioToken.GitHub.Runner;

namespace StudioToken.GitHub.Tests.Fakes;

/// <summary>The bind mounts the runner gives every container action (ContainerActionHandler), for a repository "repo".</summary>
internal static class RunnerMounts
{
    public const string Work = "/home/runner/work";
    public const string HostTemp = Work + "/_temp";
    public const string HostWorkspace = Work + "/repo/repo";

    public static IReadOnlyList<Mount> All { get; } =
    [
        new("/var/run/docker.sock", "/var/run/docker.sock"),
        new(HostTemp, "/github/runner_temp"),
        new(HostTemp + "/_github_home", "/github/home"),
        new(HostTemp + "/_github_workflow", "/github/workflow"),
        new(HostTemp + "/_runner_file_commands", "/github/file_commands"),
        new(HostWorkspace, "/github/workspace"),
    ];
}
