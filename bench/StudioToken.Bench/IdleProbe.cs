using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace StudioToken.Bench;

/// <summary>What a <c>studio-token refresh</c> process cost while it had nothing to do.</summary>
/// <param name="Label">Which build.</param>
/// <param name="PeakRssKiB">VmHWM at the end of the window: the peak resident set since start, start-up included.</param>
/// <param name="RssKiB">VmRSS at the end of the window.</param>
/// <param name="RssAnonKiB">RssAnon at the end: heap, stacks and other private memory.</param>
/// <param name="RssFileKiB">RssFile at the end: pages of the executable and shared libraries.</param>
/// <param name="StartupCpuMs">utime+stime from start to the start of the window.</param>
/// <param name="IdleCpuMs">utime+stime spent inside the window.</param>
/// <param name="Threads">Threads at the end of the window.</param>
/// <param name="WindowSeconds">Length of the idle window.</param>
/// <param name="ClockTickMs">Resolution of the CPU times (one clock tick).</param>
internal sealed record IdleResult(string Label, long PeakRssKiB, long RssKiB, long RssAnonKiB, long RssFileKiB, double StartupCpuMs, double IdleCpuMs, int Threads, double WindowSeconds, double ClockTickMs);

/// <summary>
/// Starts <c>studio-token refresh</c> against a token with a long lifetime (so nothing refreshes), reads
/// /proc/PID/stat at settle time and at the end of the window, /proc/PID/status at the end, then stops it with SIGTERM.
/// </summary>
internal static class IdleProbe
{
    private static readonly ConcurrentBag<Process> _started = [];

    /// <summary>Kills any refresher still running: when a benchmark fails, none may outlive the harness.</summary>
    public static void KillLeftovers()
    {
        foreach (var process in _started)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    public static async Task<IdleResult> RunAsync(CommandSpec spec, string tokenDir, TimeSpan settle, TimeSpan window, double clockTickMs, TextWriter progress)
    {
        var info = ChildProcess.StartInfo(spec);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new BenchmarkFailedException($"could not start {spec.Label}");
        _started.Add(process);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        progress.WriteLine($"[idle] {spec.Label}: pid {process.Id}; window {settle.TotalSeconds:0} s to {(settle + window).TotalSeconds:0} s after start");

        try
        {
            await DelayUntil(stopwatch, settle);
            var startTicks = CpuTicks(process, spec.Label, error);
            await DelayUntil(stopwatch, settle + window);
            var endTicks = CpuTicks(process, spec.Label, error);
            var status = Status(process.Id);

            // The window only means "idle" if the first token is there and was not replaced during it.
            CheckTokenDirectory(tokenDir, spec.Label);

            var result = new IdleResult(
                spec.Label,
                status.TryGetValue("VmHWM", out var hwm) ? hwm : throw new BenchmarkFailedException("no VmHWM in /proc/PID/status"),
                status.TryGetValue("VmRSS", out var rss) ? rss : 0,
                status.TryGetValue("RssAnon", out var anon) ? anon : 0,
                status.TryGetValue("RssFile", out var file) ? file : 0,
                startTicks * clockTickMs,
                (endTicks - startTicks) * clockTickMs,
                (int)(status.TryGetValue("Threads", out var threads) ? threads : 0),
                window.TotalSeconds,
                clockTickMs);

            // Process.Kill would send SIGKILL; the refresher is meant to be stopped with SIGTERM, and must then exit 0.
            // Under the gate, so that its exit does not land inside a timed run's CPU sample.
            lock (ChildProcess.Gate)
            {
                NativeMethods.Terminate(process.Id);
                if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
                {
                    throw new BenchmarkFailedException($"{spec.Label} did not stop within 15 s of SIGTERM");
                }
            }

            var errorText = await error;
            await output;
            if (process.ExitCode != 0)
            {
                throw new BenchmarkFailedException($"{spec.Label} exited with {process.ExitCode} after SIGTERM; stderr: {errorText.ReplaceLineEndings(" | ")}");
            }

            progress.WriteLine($"[idle] {spec.Label}: VmHWM {result.PeakRssKiB} KiB, idle CPU {result.IdleCpuMs:F0} ms");
            return result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    /// <summary>The CPU clock tick length in ms (USER_HZ, normally 100 Hz), from <c>getconf CLK_TCK</c>.</summary>
    public static double ClockTickMilliseconds()
    {
        var result = ChildProcess.RunChecked(new CommandSpec("getconf CLK_TCK", "getconf", ["CLK_TCK"], new Dictionary<string, string>(), r => int.TryParse(r.Output.Trim(), CultureInfo.InvariantCulture, out var hz) && hz > 0 ? null : "not a number"));
        return 1000.0 / int.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task DelayUntil(Stopwatch stopwatch, TimeSpan at)
    {
        var remaining = at - stopwatch.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
    }

    /// <summary>utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks, for all threads, dead ones included.</summary>
    private static long CpuTicks(Process process, string label, Task<string> error)
    {
        if (process.HasExited)
        {
            var text = error.IsCompleted ? error.Result : string.Empty;
            throw new BenchmarkFailedException($"{label} exited early with {process.ExitCode}; stderr: {text.ReplaceLineEndings(" | ")}");
        }

        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        // The command name (field 2) is in parentheses and may contain spaces; fields after it start with the state.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, long> Status(int pid)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines($"/proc/{pid}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(line[(colon + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var value))
            {
                values[line[..colon]] = value;
            }
        }

        return values;
    }

    private static void CheckTokenDirectory(string tokenDir, string label)
    {
        var token = File.ReadAllText(Path.Combine(tokenDir, "token"));
        if (token.Length == 0)
        {
            throw new BenchmarkFailedException($"{label}: {tokenDir}/token is empty");
        }

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(tokenDir, "token.json")));
        var generation = metadata.RootElement.GetProperty("generation").GetInt64();
        if (generation != 1)
        {
            throw new BenchmarkFailedException($"{label}: the token was refreshed during the idle window (generation {generation}); the window did not measure idling");
        }
    }
}
