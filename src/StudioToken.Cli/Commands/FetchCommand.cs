using System.CommandLine;
using System.Globalization;
using Newtonsoft.Json;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Commands;

/// <summary><c>studio-token fetch</c>: one token, into a token directory and/or standard output.</summary>
internal static class FetchCommand
{
    public static Command Create(CliContext context)
    {
        var client = new ClientOptions();
        var entra = new EntraOptions();
        var directory = new DirectoryOptions();
        var output = new Option<string>("--output") { Description = "raw (the token; default without --token-dir), json (metadata) or none (default with --token-dir)" };
        var includeToken = new Option<bool>("--include-token") { Description = "With --output json, include access_token" };
        var command = new Command("fetch", "Fetch one token; write the token directory if --token-dir is given");
        client.AddTo(command);
        entra.AddTo(command);
        directory.AddTo(command, withRefresh: false);
        command.Options.Add(output);
        command.Options.Add(includeToken);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (log, redactor) =>
        {
            var reader = new OptionReader(parseResult, context);
            var tokenDir = directory.ReadTokenDir(reader);
            var owner = directory.ReadOwner(reader);
            var mode = parseResult.GetValue(output)?.ToLowerInvariant() ?? (tokenDir is null ? "raw" : "none");
            if (mode is not ("raw" or "json" or "none"))
            {
                throw new TokenConfigurationException(output.Name, $"'{mode}' is not raw, json or none");
            }

            var pipeline = await TokenPipeline.CreateAsync(reader, parseResult, client, entra, directory, redactor, log, cancellationToken);
            var withToken = mode == "raw" || (mode == "json" && parseResult.GetValue(includeToken));
            var token = await pipeline.FirstTokenAsync(log, redactor, cancellationToken);

            // Masked whatever the output: on a runner the mask holds for the rest of the job, where the token is read.
            SecretMasking.ForEnvironment(context.GetEnvironmentVariable).Register(token.Value, context.Error);

            long generation = 0;
            if (tokenDir is not null)
            {
                var publisher = new TokenPublisher(new TokenDirectoryWriter(tokenDir, owner), pipeline.Request.TokenUrl, context.TimeProvider);
                publisher.Prepare();
                generation = publisher.Publish(token).Generation;
            }

            switch (mode)
            {
                case "raw":
                    context.Output.Write(token.Value.Reveal());
                    if (context.OutputIsTerminal)
                    {
                        context.Output.WriteLine();
                    }

                    break;
                case "json":
                    context.Output.WriteLine(Describe(token, pipeline.Request.TokenUrl, generation, withToken, context.TimeProvider.GetUtcNow()));
                    break;
            }

            context.Output.Flush();
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Describe(AccessToken token, Uri tokenUrl, long generation, bool includeToken, DateTimeOffset now)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.Indented })
        {
            writer.WriteStartObject();
            if (includeToken)
            {
                writer.WritePropertyName("access_token");
                writer.WriteValue(token.Value.Reveal());
            }

            writer.WritePropertyName("token_type");
            writer.WriteValue(token.TokenType);
            writer.WritePropertyName("expires_in");
            writer.WriteValue((long)Math.Max(0, token.RemainingAt(now).TotalSeconds));
            writer.WritePropertyName("expires_at");
            writer.WriteValue(TokenMetadata.Rfc3339(token.ExpiresOn));
            writer.WritePropertyName("refresh_at");
            writer.WriteValue(TokenMetadata.Rfc3339(token.RefreshOn));
            writer.WritePropertyName("scope");
            writer.WriteValue(token.Scope);
            writer.WritePropertyName("token_url");
            writer.WriteValue(tokenUrl.AbsoluteUri);
            if (generation > 0)
            {
                writer.WritePropertyName("generation");
                writer.WriteValue(generation);
            }

            writer.WriteEndObject();
        }

        return text.ToString();
    }
}
