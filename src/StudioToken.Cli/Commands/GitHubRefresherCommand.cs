using System.CommandLine;
using System.Runtime.Versioning;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core;
using StudioToken.Core.Security;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Jobs;
using StudioToken.GitHub.Oidc;

namespace StudioToken.Cli.Commands;

/// <summary>
/// Hidden: what the GitHub Action's sibling container runs. <c>refresh --resume</c> on the directory the main step
/// wrote, with the secrets read once from the files the action copied into this container (<see cref="RefresherHandover"/>),
/// then deleted, and a watcher that stops it when the GitHub API says the job has completed.
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
            // The secrets the action copied in (client secret or key, or the runner's ID-token request for github_oidc,
            // so that every refresh asks for a new ID token), read once and deleted.
            var received = context with { GetEnvironmentVariable = RefresherHandover.Receive(context.GetEnvironmentVariable) };
            var githubToken = received.GetEnvironmentVariable(RefresherHandover.GitHubTokenVariable);
            foreach (var bearer in new[] { githubToken, received.GetEnvironmentVariable(GitHubIdTokenSource.RequestTokenVariable) })
            {
                redactor.Add(string.IsNullOrEmpty(bearer) ? null : new Secret(bearer));
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watching = githubToken is not null && OperatingSystem.IsLinux()
                ? WatchJobAsync(context, new Secret(githubToken), log, stop)
                : Task.CompletedTask;
            var exitCode = await RefreshCommand.RunAsync(received, parseResult, client, entra, directory, resume: true, log, redactor, stop.Token);
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
}
