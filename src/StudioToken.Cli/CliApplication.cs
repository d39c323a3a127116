using System.CommandLine;
using StudioToken.Cli.Commands;

namespace StudioToken.Cli;

/// <summary>The command tree; composition only, each command lives in <c>Commands/</c>.</summary>
internal static class CliApplication
{
    public static RootCommand Build(CliContext context) => new("studio-token: a client-credentials token that stays fresh in a file, for CI jobs that outlive their tokens")
    {
        FetchCommand.Create(context),
        RefreshCommand.Create(context),
        GetCommand.Create(context),
        ExecCommand.Create(context),
        DemoCommand.Create(context),
        GitHubRefresherCommand.Create(context),
    };

    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parseResult = Build(context).Parse(args);
        return parseResult.InvokeAsync(
            new InvocationConfiguration
            {
                Output = context.Output,
                Error = context.Error,
                ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
            },
            cancellationToken);
    }
}
