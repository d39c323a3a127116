using System.CommandLine;
using System.Runtime.Versioning;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core;
using StudioToken.Core.Security;
using StudioToken.GitHub.Jobs;

namespace StudioToken.Cli.Commands;

/// <summary>
/// Hidden: what the GitHub Action's sibling container runs. <c>refresh --resume</c> on the directory the main step
/// wrote, with the secrets read once from the files the action copied into this container, then deleted, and a
/// watcher that stops it when the GitHub API says the job has completed.
/// </summary>
internal static class GitHubRefresherCommand
{
    public const string Name = "github-refresher";

    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var entra = new EntraOptions();
        var directory = new DirectoryOptions();
        var command = new Command(Name, "Refresher of the GitHub Action's sibling container") { Hidden = true };
        client.AddTo(command);
        entra.AddTo(command);
        directory.AddTo(command, withRefresh: true);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (log, redactor) =>
        {
            var secret = TakeSecretFile(context.GetEnvironmentVariable("STUDIO_CLIENT_SECRET_FILE"));
            var githubToken = TakeSecretFile(context.GetEnvironmentVariable("STUDIO_GITHUB_TOKEN_FILE"));
            var withSecret = context with
            {
                GetEnvironmentVariable = name => name switch
                {
                    "STUDIO_CLIENT_SECRET" => secret,
                    "STUDIO_CLIENT_SECRET_FILE" => null,
                    _ => context.GetEnvironmentVariable(name),
                },
            };

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watching = githubToken is not null && OperatingSystem.IsLinux()
                ? WatchJobAsync(context, new Secret(githubToken), log, stop)
                : Task.CompletedTask;
            var exitCode = await RefreshCommand.RunAsync(withSecret, parseResult, client, entra, directory, resume: true, log, redactor, stop.Token);
            await stop.CancelAsync();
            await watching;
            return exitCode;
        }));
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static async Task WatchJobAsync(CliContext context, Secret githubToken, ConsoleLog log, CancellationTokenSource stopRefresher)
    {
        var source = OctokitJobStatusSource.FromEnvironment(context.GetEnvironmentVariable, githubToken);
        if (source is null)
        {
            log.Warning("the runner's GITHUB_* variables are incomplete: not watching for job completion");
            return;
        }

        var interval = DurationText.TryParse(context.GetEnvironmentVariable("STUDIO_JOB_POLL_INTERVAL"), out var custom) && custom > TimeSpan.Zero
            ? custom
            : JobCompletionWatcher.DefaultInterval;
        if (await new JobCompletionWatcher(source, context.TimeProvider, log).WaitForCompletionAsync(interval, stopRefresher.Token))
        {
            await stopRefresher.CancelAsync();
        }
    }

    private static string? TakeSecretFile(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var value = File.ReadAllText(path).TrimEnd('\r', '\n');
        File.Delete(path);
        return value.Length == 0 ? null : value;
    }
}
