namespace StudioToken.Bench;

/// <summary>Summary of one sample: median and 90th percentile.</summary>
internal sealed record Summary(double Median, double P90)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? new Summary(double.NaN, double.NaN) : new Summary(Statistics.Percentile(sorted, 0.5), Statistics.Percentile(sorted, 0.9));
    }
}

/// <summary>Wall-clock and CPU milliseconds of one run.</summary>
internal readonly record struct Timing(double Wall, double Cpu);

/// <summary>The timings of A and B in each pair, in the order they were taken.</summary>
internal sealed record PairedResult(string Name, CommandSpec A, CommandSpec B, IReadOnlyList<(Timing A, Timing B)> Pairs)
{
    public Summary ATimes => Summary.Of(Pairs.Select(p => p.A.Wall));

    public Summary BTimes => Summary.Of(Pairs.Select(p => p.B.Wall));

    /// <summary>Per-pair A/B: each ratio compares two runs taken back to back, so slow phases of the machine cancel.</summary>
    public Summary Ratios => Summary.Of(Pairs.Select(p => p.A.Wall / p.B.Wall));

    /// <summary>Per-pair A − B in milliseconds: what A costs on top of B.</summary>
    public Summary Differences => Summary.Of(Pairs.Select(p => p.A.Wall - p.B.Wall));

    public Summary ACpu => Summary.Of(Pairs.Select(p => p.A.Cpu));

    public Summary BCpu => Summary.Of(Pairs.Select(p => p.B.Cpu));

    /// <summary>Per-pair A/B of CPU time; a zero reading (below the accounting's resolution) is left out.</summary>
    public Summary CpuRatios => Summary.Of(Pairs.Where(p => p.B.Cpu > 0).Select(p => p.A.Cpu / p.B.Cpu));
}

internal static class Statistics
{
    /// <summary>Linear interpolation between closest ranks (the usual "type 7" estimator) on sorted data.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(sorted));
        }

        var position = (sorted.Count - 1) * fraction;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}

/// <summary>Times A against B in alternating pairs, A,B then B,A, so neither always runs first (warm caches, CPU boost).</summary>
internal static class PairedBenchmark
{
    public static PairedResult Run(string name, CommandSpec a, CommandSpec b, int warmupPairs, int pairs, TextWriter progress)
    {
        progress.WriteLine($"[bench] {name}: {warmupPairs} warm-up pairs, then {pairs} pairs of '{a.Label}' vs '{b.Label}'");
        var measured = new List<(Timing A, Timing B)>(pairs);
        for (var i = 0; i < warmupPairs + pairs; i++)
        {
            RunResult runA, runB;
            if (i % 2 == 0)
            {
                runA = ChildProcess.RunChecked(a);
                runB = ChildProcess.RunChecked(b);
            }
            else
            {
                runB = ChildProcess.RunChecked(b);
                runA = ChildProcess.RunChecked(a);
            }

            var timeA = new Timing(runA.Milliseconds, runA.CpuMilliseconds);
            var timeB = new Timing(runB.Milliseconds, runB.CpuMilliseconds);

            if (i >= warmupPairs)
            {
                measured.Add((timeA, timeB));
            }
        }

        var result = new PairedResult(name, a, b, measured);
        progress.WriteLine($"[bench] {name}: medians {result.ATimes.Median:F2} ms vs {result.BTimes.Median:F2} ms, median ratio {result.Ratios.Median:F2}x");
        return result;
    }
}
