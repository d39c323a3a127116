using System.Diagnostics;

namespace StudioToken.Bench;

/// <summary>One command line to time: what to run, with which extra environment, and how to tell success.</summary>
/// <param name="Label">Short name for tables and error messages, e.g. <c>studio-token get (AOT)</c>.</param>
/// <param name="FileName">Executable to start (no shell in between).</param>
/// <param name="Arguments">Arguments, passed as a list (no quoting games).</param>
/// <param name="Environment">Variables set on top of the cleaned environment (see <see cref="ChildProcess"/>).</param>
/// <param name="Validate">Returns why a finished run is not a success, or null when it is.</param>
internal sealed record CommandSpec(
    string Label,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    Func<RunResult, string?> Validate);

/// <summary>What one run printed, how long it took from just before start to just after exit, and its CPU time.</summary>
internal sealed record RunResult(double Milliseconds, double CpuMilliseconds, int ExitCode, string Output, string Error);

/// <summary>Thrown when a run fails or prints something other than a token: the benchmark then stops, loudly.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);

/// <summary>Starts children directly (no shell), with stdin closed and stdout/stderr captured.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Held while a timed run is in flight and while a long-running child is stopped, so that exactly one child
    /// exits (and is reaped) between two getrusage(RUSAGE_CHILDREN) samples.
    /// </summary>
    public static readonly Lock Gate = new();

    /// <summary>
    /// Variables that would change what the CLI does (its own STUDIO_* settings, and the CI markers that make
    /// <c>get</c>/<c>fetch</c> print masking commands) are removed so that every run sees the same environment;
    /// so are proxy settings, so that no request can leave the machine through a proxy.
    /// </summary>
    private static readonly string[] _removedExactly =
    [
        "GITHUB_ACTIONS", "TF_BUILD",
        "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
    ];

    public static ProcessStartInfo StartInfo(CommandSpec spec)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("STUDIO_", StringComparison.Ordinal) || _removedExactly.Contains(name, StringComparer.Ordinal))
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        info.Environment["no_proxy"] = "127.0.0.1,localhost";
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Runs <paramref name="spec"/> once, times start to exit, and throws unless it succeeded.</summary>
    public static RunResult RunChecked(CommandSpec spec)
    {
        var result = Run(StartInfo(spec));
        var problem = result.ExitCode != 0
            ? $"exited with {result.ExitCode}"
            : spec.Validate(result);
        if (problem is not null)
        {
            throw new BenchmarkFailedException($"{spec.Label}: {problem}; stderr: {OneLine(result.Error)}");
        }

        return result;
    }

    private static RunResult Run(ProcessStartInfo info)
    {
        lock (Gate)
        {
            var cpuBefore = NativeMethods.ChildrenCpuMilliseconds();
            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new BenchmarkFailedException($"could not start {info.FileName}");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            stopwatch.Stop();
            var cpu = NativeMethods.ChildrenCpuMilliseconds() - cpuBefore;
            return new RunResult(stopwatch.Elapsed.TotalMilliseconds, cpu, process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" | ").Trim();
        return line.Length == 0 ? "(empty)" : line.Length > 400 ? line[..400] + "…" : line;
    }
}
