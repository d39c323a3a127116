using System.CommandLine;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Storage;

namespace StudioToken.Cli.Commands;

/// <summary><c>studio-token get</c>: prints the current token of a token directory, masked first on CI runners.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var tokenDir = new Option<string>("--token-dir") { Description = "Token directory (default: the directory of $STUDIO_TOKEN_FILE) [env: STUDIO_TOKEN_DIR]" };
        var minValid = new Option<string>("--min-valid") { Description = "Only a token with at least this much life left, e.g. 10m (default: not expired)" };
        var wait = new Option<string>("--wait") { Description = "How long to wait for such a token (default 60s with --min-valid, else 0)" };
        var command = new Command("get", "Print the current token from a token directory");
        command.Options.Add(tokenDir);
        command.Options.Add(minValid);
        command.Options.Add(wait);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (log, redactor) =>
        {
            var reader = new OptionReader(parseResult, context);
            var directory = reader.String(tokenDir, "STUDIO_TOKEN_DIR") ?? DirectoryOfTokenFile(context)
                ?? throw new TokenConfigurationException(tokenDir.Name, "no token directory; pass --token-dir DIR or set STUDIO_TOKEN_FILE");
            var minimum = reader.Duration(minValid, null);
            var maximumWait = reader.Duration(wait, null) ?? (minimum is null ? TimeSpan.Zero : TimeSpan.FromSeconds(60));

            var snapshot = await new TokenDirectoryReader(directory, context.TimeProvider).WaitForAsync(minimum ?? TimeSpan.Zero, maximumWait, cancellationToken);
            redactor.Add(snapshot.Token);
            SecretMasking.ForEnvironment(context.GetEnvironmentVariable).Register(snapshot.Token, context.Error);
            context.Output.Write(snapshot.Token.Reveal());
            if (context.OutputIsTerminal)
            {
                context.Output.WriteLine();
            }

            context.Output.Flush();
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string? DirectoryOfTokenFile(CliContext context) =>
        context.GetEnvironmentVariable("STUDIO_TOKEN_FILE") is { Length: > 0 } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;
}
