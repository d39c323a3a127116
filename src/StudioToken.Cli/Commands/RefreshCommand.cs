using System.CommandLine;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;

namespace StudioToken.Cli.Commands;

/// <summary><c>studio-token refresh</c>: a foreground daemon that keeps a token directory fresh until stopped.</summary>
internal static class RefreshCommand
{
    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var directory = new DirectoryOptions();
        var command = new Command("refresh", "Keep a token directory fresh until stopped (SIGTERM, Ctrl+C, directory deleted, --max-lifetime)");
        client.AddTo(command);
        directory.AddTo(command, withRefresh: true);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (log, redactor) =>
        {
            var reader = new OptionReader(parseResult, context);
            var tokenDir = directory.ReadTokenDir(reader)
                ?? throw new TokenConfigurationException(directory.TokenDir.Name, "is required; pass --token-dir DIR or set STUDIO_TOKEN_DIR");
            var pipeline = TokenPipeline.Create(reader, parseResult, client, directory, redactor, log);
            var refresherOptions = directory.ReadRefresherOptions(reader, pipeline.Retry);
            var masking = SecretMasking.ForEnvironment(context.GetEnvironmentVariable);
            var publisher = new TokenPublisher(new TokenDirectoryWriter(tokenDir, directory.ReadOwner(reader)), pipeline.Request.TokenUrl, context.TimeProvider)
            {
                // Run as a step (not in the background), its standard error is the step's: each new token gets masked.
                BeforePublish = next =>
                {
                    redactor.Add(next.Value);
                    masking.Register(next.Value, context.Error);
                },
            };
            publisher.Prepare();

            var token = await pipeline.FirstTokenAsync(log, redactor, cancellationToken);
            var metadata = publisher.Publish(token);
            log.Information($"wrote generation {metadata.Generation} to {publisher.Writer.TokenFile}; expires {TokenMetadata.Rfc3339(token.ExpiresOn)}, refresh at {TokenMetadata.Rfc3339(token.RefreshOn)}");

            var refresher = new Refresher(pipeline.Source, publisher, refresherOptions, context.TimeProvider, context.Random, log);
            var reason = await refresher.RunAsync(token, cancellationToken);
            var history = refresher.History;
            log.Information($"stopped ({Describe(reason)}): {history.Rotations} refreshes, {history.Failures} failures{(history.LastError is null ? string.Empty : $", last error: {history.LastError}")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string Describe(RefresherStopReason reason) => reason switch
    {
        RefresherStopReason.DirectoryDeleted => "token directory deleted",
        RefresherStopReason.MaxLifetime => "max-lifetime reached",
        _ => "told to stop",
    };
}
