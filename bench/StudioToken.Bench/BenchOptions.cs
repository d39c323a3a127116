using System.Globalization;

namespace StudioToken.Bench;

/// <summary>Command line of the harness; bench/run.sh fills it in.</summary>
internal sealed record BenchOptions
{
    public required string AotBinary { get; init; }

    public required string JitDll { get; init; }

    public string Dotnet { get; init; } = "dotnet";

    public required Uri TokenUrl { get; init; }

    public required string WorkDirectory { get; init; }

    public string? MarkdownFile { get; init; }

    public string? SamplesFile { get; init; }

    public int WarmupPairs { get; init; } = 5;

    public int GetPairs { get; init; } = 200;

    public int FetchPairs { get; init; } = 60;

    public int JitGetPairs { get; init; } = 60;

    public int JitFetchPairs { get; init; } = 30;

    public int SettleSeconds { get; init; } = 5;

    public int IdleSeconds { get; init; } = 60;

    public const string Usage = """
        usage: StudioToken.Bench --aot PATH --jit-dll PATH --token-url http://127.0.0.1:PORT/api/v2/oauth/token --work DIR
                                 [--dotnet PATH] [--markdown FILE] [--samples FILE] [--warmup 5]
                                 [--get-pairs 200] [--fetch-pairs 60] [--jit-get-pairs 60] [--jit-fetch-pairs 30]
                                 [--settle-seconds 5] [--idle-seconds 60]
        """;

    public static BenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                error.WriteLine($"unexpected argument '{args[i]}'");
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        string? Text(string name) => values.Remove(name, out var value) ? value : null;
        int Number(string name, int fallback, int minimum)
        {
            var text = Text(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
                ? value
                : throw new ArgumentException($"--{name} must be a whole number ≥ {minimum}, not '{text}'");
        }

        try
        {
            var aot = Text("aot");
            var jit = Text("jit-dll");
            var url = Text("token-url");
            var work = Text("work");
            if (aot is null || jit is null || url is null || work is null)
            {
                error.WriteLine("--aot, --jit-dll, --token-url and --work are required");
                return null;
            }

            // The benchmark talks to the local test server only; refuse anything that would leave the machine.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var tokenUrl) || tokenUrl.Host != "127.0.0.1")
            {
                error.WriteLine($"--token-url must be an http://127.0.0.1:PORT/... URL, not '{url}'");
                return null;
            }

            var options = new BenchOptions
            {
                AotBinary = Path.GetFullPath(aot),
                JitDll = Path.GetFullPath(jit),
                Dotnet = Text("dotnet") ?? "dotnet",
                TokenUrl = tokenUrl,
                WorkDirectory = Path.GetFullPath(work),
                MarkdownFile = Text("markdown"),
                SamplesFile = Text("samples"),
                WarmupPairs = Number("warmup", 5, 0),
                GetPairs = Number("get-pairs", 200, 1),
                FetchPairs = Number("fetch-pairs", 60, 1),
                JitGetPairs = Number("jit-get-pairs", 60, 1),
                JitFetchPairs = Number("jit-fetch-pairs", 30, 1),
                SettleSeconds = Number("settle-seconds", 5, 1),
                IdleSeconds = Number("idle-seconds", 60, 1),
            };
            if (values.Count > 0)
            {
                error.WriteLine($"unknown option --{values.Keys.First()}");
                return null;
            }

            return options;
        }
        catch (ArgumentException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
    }
}
