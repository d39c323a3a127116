using System.Net;
using StudioToken.Cli;
using StudioToken.Core.OAuth;

namespace StudioToken.Testing;

/// <summary>What one in-process run of the CLI did.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string AllText => Output + "\n" + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs the real command tree in-process with a given environment, standard input and clock.</summary>
public static class CliHarness
{
    /// <param name="createHandler">The HTTP handler for every request the run sends, e.g. one that trusts a test server's certificate.</param>
    public static async Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string standardInput = "", TimeProvider? timeProvider = null, Random? random = null, Func<HttpMessageHandler>? createHandler = null, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var variables = environment ?? new Dictionary<string, string>();
        var context = new CliContext(
            name => variables.TryGetValue(name, out var value) ? value : null,
            new StringReader(standardInput),
            output,
            error,
            timeProvider ?? TimeProvider.System)
        {
            Random = random ?? new FixedRandom(0.5),
            CreateHttpClient = () => TokenClient.CreateHttpClient(createHandler?.Invoke() ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None }),
        };
        var exitCode = await CliApplication.RunAsync(args, context, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
