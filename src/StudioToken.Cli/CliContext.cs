namespace StudioToken.Cli;

/// <summary>
/// Everything the commands take from the process (environment, standard streams, clock, network), so tests can run
/// the whole CLI in-process with their own.
/// </summary>
internal sealed record CliContext(
    Func<string, string?> GetEnvironmentVariable,
    TextReader Input,
    TextWriter Output,
    TextWriter Error,
    TimeProvider TimeProvider)
{
    /// <summary>Builds HTTP clients for token requests; tests may hand in their own handler.</summary>
    public Func<HttpClient> CreateHttpClient { get; init; } = () => Core.OAuth.TokenClient.CreateHttpClient();

    public Random Random { get; init; } = Random.Shared;

    /// <summary>Whether standard output is a terminal (a trailing newline then helps the person reading).</summary>
    public bool OutputIsTerminal { get; init; }

    public static CliContext FromProcess() => new(
        Environment.GetEnvironmentVariable,
        Console.In,
        Console.Out,
        Console.Error,
        TimeProvider.System)
    {
        OutputIsTerminal = !Console.IsOutputRedirected,
    };
}
