using StudioToken.Cli;
using StudioToken.Cli.Commands;

// The action's image links action-main and action-post to this binary (see GitHubActionEntry).
var programName = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
if (GitHubActionEntry.IsEntryPoint(programName))
{
    return await GitHubActionEntry.RunAsync(programName, CancellationToken.None);
}

return await CliApplication.RunAsync(args, CliContext.FromProcess());
