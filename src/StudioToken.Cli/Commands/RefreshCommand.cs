using System.CommandLine;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Commands;

/// <summary><c>studio-token refresh</c>: a foreground daemon that keeps a token directory fresh until stopped.</summary>
internal static class RefreshCommand
{
    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var entra = new EntraOptions();
        var directory = new DirectoryOptions();
        var resume = new Option<bool>("--resume") { Description = "Continue from a still valid token in --token-dir instead of fetching one first (a restarted sidecar)" };
        var command = new Command("refresh", "Keep a token directory fresh until stopped (SIGTERM, Ctrl+C, directory deleted, --max-lifetime)");
        client.AddTo(command);
        entra.AddTo(command);
        directory.AddTo(command, withRefresh: true);
        command.Options.Add(resume);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, (log, redactor) =>
            RunAsync(context, parseResult, client, entra, directory, parseResult.GetValue(resume), log, redactor, cancellationToken)));
        return command;
    }

    /// <summary>The refresher as a command; also what the GitHub Action's sibling container runs.</summary>
    internal static async Task<int> RunAsync(CliContext context, ParseResult parseResult, ClientOptions client, EntraOptions entra, DirectoryOptions directory, bool resume, ConsoleLog log, Core.Security.Redactor redactor, CancellationToken cancellationToken)
    {
        var reader = new OptionReader(parseResult, context);
        var tokenDir = directory.ReadTokenDir(reader)
            ?? throw new TokenConfigurationException(directory.TokenDir.Name, "is required; pass --token-dir DIR or set STUDIO_TOKEN_DIR");
        var refresherOptions = directory.ReadRefresherOptions(reader, client.ReadRetryPolicy(reader));
        var owner = directory.ReadOwner(reader);
        var pipeline = await TokenPipeline.CreateAsync(reader, parseResult, client, entra, directory, redactor, log, cancellationToken);
        if (pipeline.Metadata is { } discovered)
        {
            log.Information($"discovered token endpoint {pipeline.Request.TokenUrl} ({pipeline.Request.AuthMethod.ToWireName()}) from {discovered.DocumentUrl}");
        }

        var masking = SecretMasking.ForEnvironment(context.GetEnvironmentVariable);
        var publisher = new TokenPublisher(new TokenDirectoryWriter(tokenDir, owner), pipeline.Request.TokenUrl, context.TimeProvider)
        {
            // Run as a step (not in the background), its standard error is the step's: each new token gets masked.
            BeforePublish = next =>
            {
                redactor.Add(next.Value);
                masking.Register(next.Value, context.Error);
            },
        };
        publisher.Prepare();

        var token = resume ? Resume(tokenDir, pipeline.RefreshPolicy, context) : null;
        if (token is null)
        {
            token = await pipeline.FirstTokenAsync(log, redactor, cancellationToken);
            var metadata = publisher.Publish(token);
            log.Information($"wrote generation {metadata.Generation} to {publisher.Writer.TokenFile}; expires {TokenMetadata.Rfc3339(token.ExpiresOn)}, refresh at {TokenMetadata.Rfc3339(token.RefreshOn)}");
        }
        else
        {
            redactor.Add(token.Value);
            log.Information($"resuming generation {publisher.Generation} in {publisher.Writer.TokenFile}; expires {TokenMetadata.Rfc3339(token.ExpiresOn)}, refresh at {TokenMetadata.Rfc3339(token.RefreshOn)}");
        }

        var refresher = new Refresher(pipeline.Source, publisher, refresherOptions, context.TimeProvider, context.Random, log);
        var reason = await refresher.RunAsync(token, cancellationToken);
        var history = refresher.History;
        log.Information($"stopped ({Describe(reason)}): {history.Rotations} refreshes, {history.Failures} failures{(history.LastError is null ? string.Empty : $", last error: {history.LastError}")}");
        return ExitCodes.Ok;
    }

    internal static string Describe(RefresherStopReason reason) => reason switch
    {
        RefresherStopReason.DirectoryDeleted => "token directory deleted",
        RefresherStopReason.MaxLifetime => "max-lifetime reached",
        _ => "told to stop",
    };

    /// <summary>The directory's current token, timed as if issued when it was written; null if there is none still valid.</summary>
    private static AccessToken? Resume(string tokenDir, RefreshPolicy policy, CliContext context)
    {
        try
        {
            var snapshot = new TokenDirectoryReader(tokenDir, context.TimeProvider).Read();
            var metadata = snapshot.Metadata;
            if (snapshot.RemainingAt(context.TimeProvider.GetUtcNow()) <= TimeSpan.Zero)
            {
                return null;
            }

            return new AccessToken(snapshot.Token, metadata.TokenType, metadata.Scope, metadata.RefreshedAt, metadata.ExpiresAt, policy.RefreshOn(metadata.RefreshedAt, metadata.ExpiresAt, context.Random));
        }
        catch (NoValidTokenException)
        {
            return null;
        }
    }
}
