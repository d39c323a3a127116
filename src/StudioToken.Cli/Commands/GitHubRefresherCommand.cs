using System.CommandLine;
using StudioToken.Cli.Settings;

namespace StudioToken.Cli.Commands;

/// <summary>
/// Hidden: what the GitHub Action's sibling container runs. <c>refresh --resume</c> on the directory the main step
/// wrote, with the secret read once from the file the action copied into this container, then deleted.
/// </summary>
internal static class GitHubRefresherCommand
{
    public const string Name = "github-refresher";

    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var directory = new DirectoryOptions();
        var command = new Command(Name, "Refresher of the GitHub Action's sibling container") { Hidden = true };
        client.AddTo(command);
        directory.AddTo(command, withRefresh: true);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, (log, redactor) =>
        {
            var secretFile = context.GetEnvironmentVariable("STUDIO_CLIENT_SECRET_FILE");
            string? secret = null;
            if (secretFile is not null && File.Exists(secretFile))
            {
                secret = File.ReadAllText(secretFile).TrimEnd('\r', '\n');
                File.Delete(secretFile);
            }

            var withSecret = context with
            {
                GetEnvironmentVariable = name => name switch
                {
                    "STUDIO_CLIENT_SECRET" => secret,
                    "STUDIO_CLIENT_SECRET_FILE" => null,
                    _ => context.GetEnvironmentVariable(name),
                },
            };
            return RefreshCommand.RunAsync(withSecret, parseResult, client, directory, resume: true, log, redactor, cancellationToken);
        }));
        return command;
    }
}
