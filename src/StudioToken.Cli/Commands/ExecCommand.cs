using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using StudioToken.Cli.Output;
using StudioToken.Cli.Processes;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Commands;

/// <summary><c>studio-token exec -- CMD ARGS</c>: runs a command with a token that stays fresh for as long as it runs.</summary>
internal static class ExecCommand
{
    /// <summary>How long a child gets to exit after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var entra = new EntraOptions();
        var directory = new DirectoryOptions();
        var revocation = new RevocationOptions();
        var commandLine = new Argument<string[]>("command") { Description = "The command to run, after --", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command with STUDIO_TOKEN and STUDIO_TOKEN_FILE set, refreshing while it runs");
        client.AddTo(command);
        entra.AddTo(command);
        directory.AddTo(command, withRefresh: true);
        revocation.AddTo(command);
        command.Arguments.Add(commandLine);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (log, redactor) =>
        {
            var reader = new OptionReader(parseResult, context);
            var arguments = parseResult.GetValue(commandLine) ?? [];
            var refresherOptions = directory.ReadRefresherOptions(reader, client.ReadRetryPolicy(reader));
            var givenDir = directory.ReadTokenDir(reader);
            var tokenDir = givenDir ?? Path.Combine(Path.GetTempPath(), $"studio-token-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
            var writer = new TokenDirectoryWriter(tokenDir, directory.ReadOwner(reader));
            var revoke = revocation.ReadRevoke(reader);
            var givenRevocationUrl = revocation.ReadRevocationUrl(reader, reader.Flag(client.AllowInsecureHttp, "STUDIO_ALLOW_INSECURE_HTTP"));
            var masking = SecretMasking.ForEnvironment(context.GetEnvironmentVariable);
            if (givenRevocationUrl is not null && entra.IsChosen(reader, parseResult))
            {
                throw new TokenConfigurationException(revocation.RevocationUrl.Name, $"is not used with {entra.Provider.Name} {EntraOptions.EntraProvider}: Entra ID has no revocation endpoint; leave it out");
            }

            var pipeline = await TokenPipeline.CreateAsync(reader, parseResult, client, entra, directory, redactor, log, cancellationToken, givenRevocationUrl);
            var token = await pipeline.FirstTokenAsync(log, redactor, cancellationToken);
            var lastToken = token;
            var publisher = new TokenPublisher(writer, pipeline.Request.TokenUrl, context.TimeProvider)
            {
                // The child's output goes to the runner too: each new token is masked before the child can read it.
                BeforePublish = next =>
                {
                    redactor.Add(next.Value);
                    masking.Register(next.Value, context.Error);
                    lastToken = next;
                },
            };
            try
            {
                publisher.Prepare();
                publisher.Publish(token);
                return await RunChildAsync(arguments, token, writer, pipeline, publisher, refresherOptions, log, cancellationToken);
            }
            finally
            {
                // After the refresher has stopped, so no newer token can follow; whatever happened to the command.
                await RevokeAsync(revoke, pipeline.Discovered is { } discovered ? discovered.RevocationUrl : givenRevocationUrl, pipeline.Discovered?.RevocationNote, pipeline.Discovered?.ForRevocation(pipeline.Request) ?? pipeline.Request, lastToken, log);
                if (givenDir is null)
                {
                    writer.Delete();
                }
            }
        }));
        return command;

        async Task<int> RunChildAsync(string[] arguments, AccessToken token, TokenDirectoryWriter writer, TokenPipeline pipeline, TokenPublisher publisher, RefresherOptions refresherOptions, ConsoleLog log, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(arguments[0]) { UseShellExecute = false };
            foreach (var argument in arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            // The child gets the token, never the client secret, private key or certificate password.
            start.Environment.Remove("STUDIO_CLIENT_SECRET");
            start.Environment.Remove("STUDIO_PRIVATE_KEY");
            start.Environment.Remove("STUDIO_CERTIFICATE_PASSWORD");
            start.Environment["STUDIO_TOKEN"] = token.Value.Reveal();
            start.Environment["STUDIO_TOKEN_FILE"] = writer.TokenFile;

            Process child;
            try
            {
                child = Process.Start(start) ?? throw new Win32Exception("the process did not start");
            }
            catch (Win32Exception ex)
            {
                throw new TokenConfigurationException("command", $"cannot run '{arguments[0]}': {ex.Message}");
            }

            using (child)
            {
                using var stopRefresher = new CancellationTokenSource();
                var refresher = new Refresher(pipeline.Source, publisher, refresherOptions, context.TimeProvider, context.Random, log);
                var refreshing = refresher.RunAsync(token, stopRefresher.Token);
                using (cancellationToken.Register(() => ChildProcessSignals.Terminate(child)))
                {
                    await child.WaitForExitAsync(CancellationToken.None);
                }

                await stopRefresher.CancelAsync();
                await refreshing;
                return child.ExitCode;
            }
        }

        // Not cancellable by a stop signal: it comes after the command ended, and the signal's grace period bounds it.
        // A failure is LastTokenRevocation's warning, never exec's exit code (that is the command's).
        async Task RevokeAsync(bool revoke, Uri? revocationUrl, string? revocationNote, TokenRequest request, AccessToken token, ConsoleLog log)
        {
            var outcome = await new LastTokenRevocation(context.CreateHttpClient, context.TimeProvider, log)
                .RevokeAsync(revoke, revocationUrl, request, token, CancellationToken.None);
            if (outcome == LastTokenRevocation.Revoked)
            {
                log.Information($"revoked the last token at {revocationUrl}");
            }
            else if (revoke && revocationNote is not null)
            {
                log.Information(revocationNote);
            }
        }
    }
}
