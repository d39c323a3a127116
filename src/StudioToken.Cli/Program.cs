using StudioToken.Cli;
using StudioToken.Cli.Commands;

// The action's image links action-main and action-post to this binary (see GitHubActionEntry).
var programName = Path.GetFileName(Environment.GetCommandLineArgs()[0]);
if (GitHubActionEntry.IsEntryPoint(programName))
{
    return await GitHubActionEntry.RunAsync(programName, CancellationToken.None);
}

// The Azure Pipelines task's shim names a verb (see AzureTaskEntry).
if (AzureTaskEntry.IsStep(args))
{
    return await AzureTaskEntry.RunStepAsync(args[0], CancellationToken.None);
}

if (AzureTaskEntry.IsRefresher(args))
{
    return await AzureTaskEntry.RunRefresherAsync(CliContext.FromProcess);
}

return await CliApplication.RunAsync(args, CliContext.FromProcess());
