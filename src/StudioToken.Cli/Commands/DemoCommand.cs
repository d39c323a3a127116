using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.LocalEndpoint;

namespace StudioToken.Cli.Commands;

/// <summary>
/// <c>studio-token demo</c>: the whole idea in one command with nothing to set up. A real token endpoint on 127.0.0.1
/// issues short-lived JWTs, the refresher keeps a temporary token directory fresh, and a reader beside it checks that
/// every token it reads is still valid.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliContext context)
    {
        var duration = new Option<string>("--duration") { Description = "How long to run (default 30s)" };
        var lifetime = new Option<string>("--lifetime") { Description = "Lifetime of the demo endpoint's tokens (default 6s)" };
        var refreshAt = new Option<string>("--refresh-at") { Description = "Refresh at this fraction of the lifetime (default 0.5)" };
        var command = new Command("demo", "Run a local token endpoint, the refresher and a reader, and show rotations live");
        command.Options.Add(duration);
        command.Options.Add(lifetime);
        command.Options.Add(refreshAt);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(context, async (_, redactor) =>
        {
            var reader = new OptionReader(parseResult, context);
            var runFor = reader.Duration(duration, null) ?? TimeSpan.FromSeconds(30);
            var tokenLifetime = reader.Duration(lifetime, null) ?? TimeSpan.FromSeconds(6);
            if (tokenLifetime < TimeSpan.FromSeconds(1))
            {
                throw new TokenConfigurationException(lifetime.Name, "must be at least 1s");
            }

            var policy = new RefreshPolicy { RefreshAt = reader.Fraction(refreshAt, null) ?? RefreshPolicy.DefaultRefreshAt };
            var log = new ConsoleLog(context.Output, redactor, prefix: string.Empty);
            return await RunAsync(context, runFor, tokenLifetime, policy, log, redactor, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, TimeSpan runFor, TimeSpan tokenLifetime, RefreshPolicy policy, ConsoleLog log, Redactor redactor, CancellationToken cancellationToken)
    {
        var time = context.TimeProvider;
        var secret = new Secret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        redactor.Add(secret);
        await using var endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientSecret = secret.Reveal(), TokenLifetime = tokenLifetime, TimeProvider = time });
        var writer = new TokenDirectoryWriter(Path.Combine(Path.GetTempPath(), $"studio-token-demo-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}"));
        var request = new TokenRequest { TokenUrl = endpoint.TokenUrl, ClientId = "demo-client", ClientSecret = secret, Scope = "studio:script" };
        using var http = context.CreateHttpClient();
        var source = new ClientCredentialsTokenSource(new TokenClient(http, time, policy, context.Random), request);
        var publisher = new TokenPublisher(writer, request.TokenUrl, time) { BeforePublish = token => redactor.Add(token.Value) };

        log.Information($"demo: token endpoint {endpoint.TokenUrl} issues tokens that live {DurationText.Format(tokenLifetime)}; refreshing at {policy.RefreshAt:0.##} of the lifetime into {writer.Directory}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(runFor);
        try
        {
            var first = await new TokenAcquirer(source, new RetryPolicy(), time, context.Random, log).AcquireAsync(stop.Token);
            publisher.Prepare();
            publisher.Publish(first.Token);

            var refresher = new Refresher(source, publisher, new RefresherOptions { Retry = new RetryPolicy { MaxDelay = tokenLifetime / 4 } }, time, context.Random, log);
            var refreshing = refresher.RunAsync(first.Token, stop.Token);
            var reads = await ReadUntilStoppedAsync(new TokenDirectoryReader(writer.Directory, time), time, log, stop.Token);
            await refreshing;

            var history = refresher.History;
            log.Information(string.Create(CultureInfo.InvariantCulture, $"summary: {history.Rotations} rotations, {reads.Reads} reads, {reads.Expired} expired reads, {history.Failures} refresh failures"));
            return reads.Expired == 0 && reads.Reads > 0 ? ExitCodes.Ok : ExitCodes.NoValidToken;
        }
        finally
        {
            writer.Delete();
        }
    }

    private static async Task<ReadCounts> ReadUntilStoppedAsync(TokenDirectoryReader reader, TimeProvider time, ConsoleLog log, CancellationToken cancellationToken)
    {
        var counts = new ReadCounts();
        long lastGeneration = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var snapshot = reader.Read();
            var now = time.GetUtcNow();
            counts.Reads++;

            // Judge by the token itself (its signed exp), not by what token.json says about it.
            var expiresAt = JwtExpiry.TryRead(snapshot.Token.Reveal()) ?? snapshot.Metadata.ExpiresAt;
            if (expiresAt <= now)
            {
                counts.Expired++;
                log.Warning($"reader: generation {snapshot.Metadata.Generation} is expired");
            }

            if (snapshot.Metadata.Generation != lastGeneration)
            {
                lastGeneration = snapshot.Metadata.Generation;
                log.Information(string.Create(CultureInfo.InvariantCulture, $"reader:    generation {lastGeneration} seen, {(expiresAt - now).TotalSeconds:0.0}s of life left"));
            }

            try
            {
                await Task.Delay(ReadInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return counts;
    }

    private sealed class ReadCounts
    {
        public int Reads { get; set; }

        public int Expired { get; set; }
    }
}
