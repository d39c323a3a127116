using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StudioToken.Bench;

internal static class Benchmarks
{
    // The OpenIddict test server's client_secret_post client (tests/StudioToken.TestServer).
    private const string ClientId = "post-client";
    private const string ClientSecret = "post-secret-2";
    private const string Scope = "studio:script";
    private const int ServerTimingRuns = 20;

    public static async Task<string> RunAsync(BenchOptions options, TextWriter progress)
    {
        try
        {
            return await MeasureAsync(options, progress);
        }
        finally
        {
            IdleProbe.KillLeftovers();
        }
    }

    private static async Task<string> MeasureAsync(BenchOptions options, TextWriter progress)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var fetchEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["STUDIO_TOKEN_URL"] = options.TokenUrl.AbsoluteUri,
            ["STUDIO_CLIENT_ID"] = ClientId,
            ["STUDIO_CLIENT_AUTH"] = "client_secret_post",
            ["STUDIO_CLIENT_SECRET"] = ClientSecret,
            ["STUDIO_SCOPE"] = Scope,
        };
        var none = new Dictionary<string, string>(StringComparer.Ordinal);
        var aot = new Build("AOT", options.AotBinary, []);
        var jit = new Build("framework-dependent", options.Dotnet, [options.JitDll]);

        // A real token directory, written by the tool itself, for get and cat to read.
        var tokenDir = Path.Combine(options.WorkDirectory, "get-token-dir");
        ChildProcess.RunChecked(new CommandSpec("studio-token fetch --token-dir (setup)", aot.FileName, [.. aot.Prefix, "fetch", "--token-dir", tokenDir, "--output", "none"], fetchEnvironment, _ => null));
        var tokenFile = Path.Combine(tokenDir, "token");
        var expected = File.ReadAllText(tokenFile);
        if (expected.Length == 0)
        {
            throw new BenchmarkFailedException($"{tokenFile} is empty after fetch");
        }

        string? PrintsTheTokenFile(RunResult run) =>
            run.Output.Length == 0 ? "printed nothing" : run.Output == expected ? null : "printed something other than the token file's content";
        CommandSpec Get(Build build) => new($"studio-token get ({build.Name})", build.FileName, [.. build.Prefix, "get", "--token-dir", tokenDir], none, PrintsTheTokenFile);
        var cat = new CommandSpec("cat", "cat", [tokenFile], none, PrintsTheTokenFile);

        CommandSpec Fetch(Build build) => new($"studio-token fetch --output raw ({build.Name})", build.FileName, [.. build.Prefix, "fetch", "--output", "raw"], fetchEnvironment, PrintsAToken);
        var curlConfig = WriteCurlConfig(options);
        var curl = new CommandSpec("curl -K config", "curl", ["-K", curlConfig], none, PrintsATokenResponse);

        // The refreshers idle while the timed pairs run: their CPU time is their own (utime+stime), and their
        // wake-ups (a stat every few seconds) are far too rare to disturb the timings.
        var clockTick = IdleProbe.ClockTickMilliseconds();
        var settle = TimeSpan.FromSeconds(options.SettleSeconds);
        var window = TimeSpan.FromSeconds(options.IdleSeconds);
        Task<IdleResult> Idle(Build build, string variant, Dictionary<string, string> environment)
        {
            var name = variant.Length == 0 ? build.Name : $"{build.Name}, {variant}";
            var dir = Path.Combine(options.WorkDirectory, $"refresh-token-dir-{name.Replace(", ", "-", StringComparison.Ordinal)}");
            var refresh = new CommandSpec($"studio-token refresh ({name})", build.FileName, [.. build.Prefix, "refresh", "--token-dir", dir], environment, _ => null);
            return Task.Run(() => IdleProbe.RunAsync(refresh, dir, settle, window, clockTick, progress));
        }

        // Real endpoints are https: the same refresher behind a local TLS terminator, trusting the system CA bundle
        // plus the terminator's certificate, shows what loading OpenSSL and a full trust store adds.
        await using var tls = TlsFrontend.Start(options.TokenUrl, options.WorkDirectory);
        var httpsEnvironment = new Dictionary<string, string>(fetchEnvironment, StringComparer.Ordinal)
        {
            ["STUDIO_TOKEN_URL"] = tls.TokenUrl.AbsoluteUri,
            ["SSL_CERT_FILE"] = tls.CaBundle,
        };
        var idleAot = Idle(aot, string.Empty, fetchEnvironment);
        var idleAotHttps = Idle(aot, "https", httpsEnvironment);
        var idleJit = Idle(jit, string.Empty, fetchEnvironment);

        // Let both refreshers finish starting (JIT, first request) before anything is timed.
        await Task.Delay(settle);

        var paired = new List<PairedResult>
        {
            PairedBenchmark.Run("get", Get(aot), cat, options.WarmupPairs, options.GetPairs, progress),
            PairedBenchmark.Run("get", Get(jit), cat, options.WarmupPairs, options.JitGetPairs, progress),
            PairedBenchmark.Run("fetch", Fetch(aot), curl, options.WarmupPairs, options.FetchPairs, progress),
            PairedBenchmark.Run("fetch", Fetch(jit), curl, options.WarmupPairs, options.JitFetchPairs, progress),
        };

        // How much of a fetch is the server's own work: curl's time from request sent to first response byte.
        var serverTiming = new CommandSpec("curl -K config -w (server time)", "curl", ["-K", curlConfig, "-w", "%{stderr}%{time_pretransfer} %{time_starttransfer}"], none, PrintsATokenResponse);
        var serverMs = Summary.Of(Enumerable.Range(0, ServerTimingRuns).Select(_ => ServerMilliseconds(ChildProcess.RunChecked(serverTiming))));
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[bench] test server: request sent to first byte, median {serverMs.Median:F2} ms"));
        progress.WriteLine("[bench] timed pairs done; waiting for the idle window to end");
        var idleResults = new IdleResults(await idleAot, await idleAotHttps, await idleJit);

        if (options.SamplesFile is not null)
        {
            await File.WriteAllTextAsync(options.SamplesFile, Samples(paired));
        }

        return Report.Markdown(options, paired, idleResults, serverMs, ServerTimingRuns);
    }

    private static double ServerMilliseconds(RunResult run)
    {
        var times = run.Error.Trim().Split(' ');
        return times.Length == 2
            && double.TryParse(times[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var sent)
            && double.TryParse(times[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var firstByte)
            ? (firstByte - sent) * 1000.0
            : throw new BenchmarkFailedException($"curl -w printed '{run.Error.Trim()}', not two times");
    }

    private static string? PrintsAToken(RunResult run) =>
        run.Output.Length == 0 ? "printed nothing"
        : run.Output.Any(char.IsWhiteSpace) ? "printed something that is not a single token"
        : null;

    private static string? PrintsATokenResponse(RunResult run)
    {
        try
        {
            using var response = JsonDocument.Parse(run.Output);
            return response.RootElement.TryGetProperty("access_token", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length > 0
                ? null
                : "answered without an access_token";
        }
        catch (JsonException)
        {
            return run.Output.Length == 0 ? "printed nothing" : "printed something that is not JSON";
        }
    }

    /// <summary>
    /// The same request studio-token sends for client_secret_post (POST, Accept: application/json, form body with
    /// grant_type, client_id, client_secret, scope), the secret in a 0600 config file rather than on argv.
    /// </summary>
    private static string WriteCurlConfig(BenchOptions options)
    {
        var path = Path.Combine(options.WorkDirectory, "curl.config");
        File.WriteAllText(path, string.Empty);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, $"""
            url = "{options.TokenUrl.AbsoluteUri}"
            noproxy = "*"
            silent
            show-error
            fail
            header = "Accept: application/json"
            data = "grant_type=client_credentials"
            data-urlencode = "client_id={ClientId}"
            data-urlencode = "client_secret={ClientSecret}"
            data-urlencode = "scope={Scope}"

            """);
        return path;
    }

    private static string Samples(IEnumerable<PairedResult> results)
    {
        var csv = new StringBuilder("benchmark,a,b,pair,a_ms,b_ms\n");
        foreach (var result in results)
        {
            for (var i = 0; i < result.Pairs.Count; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{result.Name},\"{result.A.Label}\",\"{result.B.Label}\",{i},{result.Pairs[i].A.Wall:F3},{result.Pairs[i].B.Wall:F3},{result.Pairs[i].A.Cpu:F3},{result.Pairs[i].B.Cpu:F3}\n");
            }
        }

        return csv.ToString();
    }
}

/// <summary>The refreshers measured while idle: AOT over http (the goal), AOT over https, framework-dependent.</summary>
internal sealed record IdleResults(IdleResult Aot, IdleResult AotHttps, IdleResult Jit)
{
    public IEnumerable<IdleResult> All => [Aot, AotHttps, Jit];
}

/// <summary>How to start one build of the CLI: the AOT binary itself, or <c>dotnet studio-token.dll</c>.</summary>
internal sealed record Build(string Name, string FileName, IReadOnlyList<string> Prefix);
