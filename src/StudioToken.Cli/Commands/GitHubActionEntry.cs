using StudioToken.GitHub.Action;

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

        var context = new ActionContext(Environment.GetEnvironmentVariable, Console.Out, TimeProvider.System, () => Core.OAuth.TokenClient.CreateHttpClient());
        return programName == MainName
            ? new ActionMain(context).RunAsync(cancellationToken)
            : new ActionPost(context).RunAsync(cancellationToken);
    }
}
