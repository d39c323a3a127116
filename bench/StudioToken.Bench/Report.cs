using System.Globalization;
using System.Text;

namespace StudioToken.Bench;

/// <summary>The Markdown tables that bench/run.sh puts into docs/benchmarks.md.</summary>
internal static class Report
{
    private const double GetRatioGoal = 5.0;
    private const double FetchRatioGoal = 2.0;
    private const double PeakRssGoalMiB = 20.0;

    public static string Markdown(BenchOptions options, IReadOnlyList<PairedResult> paired, IdleResults idle, Summary server, int serverRuns)
    {
        var get = paired.First(p => p.Name == "get" && p.A.Label.Contains("AOT", StringComparison.Ordinal));
        var fetch = paired.First(p => p.Name == "fetch" && p.A.Label.Contains("AOT", StringComparison.Ordinal));
        var refresh = idle.Aot;
        var peakMiB = refresh.PeakRssKiB / 1024.0;
        var httpsPeakMiB = idle.AotHttps.PeakRssKiB / 1024.0;

        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line("## Goals");
        Line(string.Empty);
        Line("| # | what (AOT binary) | goal | measured | met? |");
        Line("|---|---|---|---|---|");
        Line(Invariant($"| 1 | `get --token-dir D` vs `cat D/token`: median of per-pair ratios | ≤ {GetRatioGoal:0}× | **{get.Ratios.Median:F2}×** (medians {Ms(get.ATimes.Median)} vs {Ms(get.BTimes.Median)}; in CPU time {get.CpuRatios.Median:F2}×) | {MetRatio(get, GetRatioGoal)} |"));
        Line(Invariant($"| 2 | `fetch --output raw` vs `curl` (same request): median of per-pair ratios | ≤ {FetchRatioGoal:0}× | **{fetch.Ratios.Median:F2}×** (medians {Ms(fetch.ATimes.Median)} vs {Ms(fetch.BTimes.Median)}; in CPU time {fetch.CpuRatios.Median:F2}×) | {MetRatio(fetch, FetchRatioGoal)} |"));
        Line(Invariant($"| 3a | `refresh`, idle: peak RSS (VmHWM, start-up included) | ≤ {PeakRssGoalMiB:0} MiB | **{peakMiB:F1} MiB** | {Met(peakMiB <= PeakRssGoalMiB)} |"));
        Line(Invariant($"| 3a′ | the same over https (local TLS terminator, system CA bundle trusted), for context | ≤ {PeakRssGoalMiB:0} MiB | **{httpsPeakMiB:F1} MiB** | {Met(httpsPeakMiB <= PeakRssGoalMiB)} |"));
        Line(Invariant($"| 3b | `refresh`, idle: CPU time (utime+stime) from {options.SettleSeconds} s to {options.SettleSeconds + options.IdleSeconds} s after start | report | **{refresh.IdleCpuMs:0} ms** in {refresh.WindowSeconds:0} s ({Percent(refresh.IdleCpuMs, refresh.WindowSeconds)} of one core) | no goal set |"));
        Line(string.Empty);

        Line("## Start to exit, paired");
        Line(string.Empty);
        Line(Invariant($"Each pair runs A and B back to back, alternating A,B / B,A; {options.WarmupPairs} warm-up pairs per row are discarded. Times are wall clock from just before the process is started to just after it has exited, in ms. Ratios and differences are taken per pair, then summarised."));
        Line(string.Empty);
        Line("| A | B | pairs | A median | A p90 | B median | B p90 | A/B median | A/B p90 | A − B median |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in paired)
        {
            Line(Invariant($"| `{result.A.Label}` | `{result.B.Label}` | {result.Pairs.Count} | {result.ATimes.Median:F2} | {result.ATimes.P90:F2} | {result.BTimes.Median:F2} | {result.BTimes.P90:F2} | {result.Ratios.Median:F2}× | {result.Ratios.P90:F2}× | {result.Differences.Median:F2} |"));
        }

        Line(string.Empty);
        Line(Invariant($"The test server's share of a fetch, from curl's own timer (`time_starttransfer − time_pretransfer`: request sent to first response byte), {serverRuns} further curl runs: median {server.Median:F2} ms, p90 {server.P90:F2} ms."));
        Line(string.Empty);
        Line("CPU time of the same runs (user + system of the child alone, from getrusage(RUSAGE_CHILDREN) before and after each run). Waiting for a core does not count here, so this is the steadier measure when other work shares the machine; the goals above are on wall-clock time.");
        Line(string.Empty);
        Line("| A | B | A CPU median | B CPU median | A/B CPU median |");
        Line("|---|---|---:|---:|---:|");
        foreach (var result in paired)
        {
            Line(Invariant($"| `{result.A.Label}` | `{result.B.Label}` | {result.ACpu.Median:F2} | {result.BCpu.Median:F2} | {result.CpuRatios.Median:F2}× |"));
        }

        Line(string.Empty);
        Line("## `studio-token refresh` while idle");
        Line(string.Empty);
        Line(Invariant($"Token lifetime 3600 s, so no refresh is due in the window (checked: `token.json` still says generation 1 at the end). Read from /proc/PID/status and /proc/PID/stat; CPU times have a resolution of one clock tick ({refresh.ClockTickMs:0} ms). Stopped with SIGTERM afterwards; exit code 0 checked."));
        Line(string.Empty);
        Line("| build | peak RSS (VmHWM) | RSS at end of window | of which anonymous / file-backed | CPU, start-up (0 → settle) | CPU, idle window | threads |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var result in idle.All)
        {
            Line(Invariant($"| `{result.Label}` | {result.PeakRssKiB / 1024.0:F1} MiB | {result.RssKiB / 1024.0:F1} MiB | {result.RssAnonKiB / 1024.0:F1} / {result.RssFileKiB / 1024.0:F1} MiB | {result.StartupCpuMs:0} ms | {result.IdleCpuMs:0} ms / {result.WindowSeconds:0} s | {result.Threads} |"));
        }

        Line(string.Empty);
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double milliseconds) => milliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double cpuMs, double seconds) => (cpuMs / (seconds * 1000.0)).ToString("P3", CultureInfo.InvariantCulture);

    private static string Met(bool met) => met ? "yes" : "**no**";

    /// <summary>The goal is on wall-clock time; a pass that CPU time does not confirm is marked, since load can make it.</summary>
    private static string MetRatio(PairedResult result, double goal) =>
        (result.Ratios.Median <= goal, result.CpuRatios.Median <= goal) switch
        {
            (true, true) => "yes",
            (true, false) => "yes on the wall clock; **no** in CPU time (see the notes)",
            _ => "**no**",
        };
}
