using System.Runtime.Versioning;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Runner;

namespace StudioToken.Cli.Commands;

/// <summary>
/// The GitHub Action's entry points. action.yml names <c>/usr/local/bin/action-main</c> and
/// <c>/usr/local/bin/action-post</c>, links to this binary; main and post share the action's args, so the name the
/// binary was started by tells them apart.
/// </summary>
internal static class GitHubActionEntry
{
    public const string MainName = "action-main";
    public const string PostName = "action-post";

    public static bool IsEntryPoint(string? programName) => programName is MainName or PostName;

    public static Task<int> RunAsync(string programName, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("studio-token: error: the GitHub Action runs on Linux runners only");
            return Task.FromResult(ExitCodes.Usage);
        }

        return RunOnLinuxAsync(programName == MainName, cancellationToken);
    }

    /// <summary>An unexpected failure is one annotation, not a stack trace; the post step never fails the job.</summary>
    [SupportedOSPlatform("linux")]
    private static async Task<int> RunOnLinuxAsync(bool main, CancellationToken cancellationToken)
    {
        var context = new ActionContext(Environment.GetEnvironmentVariable, Console.Out, TimeProvider.System, () => Core.OAuth.TokenClient.CreateHttpClient());
        try
        {
            return main
                ? await new ActionMain(context).RunAsync(cancellationToken)
                : await new ActionPost(context).RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException or DockerEngineException or ArgumentException)
        {
            Console.Out.WriteLine(main
                ? WorkflowCommands.Error("studio-token: failed", ex.Message)
                : WorkflowCommands.Warning($"studio-token: cleanup failed: {ex.Message}"));
            return main ? ExitCodes.Usage : ExitCodes.Ok;
        }
    }
}
