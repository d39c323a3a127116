using StudioToken.Core.Storage;
using StudioToken.Testing;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// The action's steps on one <see cref="RunnerSimulation"/>, keeping everything they and Docker printed for the
/// secret scan at the end, and the refresher containers they left behind.
/// </summary>
public sealed class ActionSteps(RunnerSimulation runner)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly List<ProcessResult> _everything = [];

    public RunnerSimulation Runner { get; } = runner;

    /// <summary>Runs <c>action-main</c> or <c>action-post</c> as the runner would.</summary>
    public async Task<ProcessResult> RunAsync(string entrypoint, StepFiles step, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string>? state = null, IReadOnlyDictionary<string, string>? jobEnvironment = null)
    {
        var result = await Runner.RunStepAsync(entrypoint, step, inputs, state, withDockerSocket: true, jobEnvironment);
        _everything.Add(result);
        return result;
    }

    /// <summary>A Docker command whose output joins the scan: <c>inspect</c> and <c>logs</c> show what a refresher holds.</summary>
    public async Task<ProcessResult> DockerAsync(params string[] arguments)
    {
        var result = await ProcessRunner.DockerAsync(arguments);
        _everything.Add(result);
        return result;
    }

    /// <summary>The refresher containers started for this runner's temp directory.</summary>
    public Task<List<string>> RefreshersAsync() => RefresherContainers.OfAsync(Runner);

    /// <summary>What is left in a refresher's hand-over directory, copied out through the Engine (the image has no shell).</summary>
    public async Task<string[]> HandedOverFilesLeftAsync(string refresher)
    {
        var copy = Path.Combine(Runner.Root, "handed-over-" + refresher[..12]);
        var result = await DockerAsync("cp", $"{refresher}:/run/studio-token", copy);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return Directory.GetFileSystemEntries(copy);
    }

    /// <summary>Waits (bounded) until the refresher has written generation <paramref name="generation"/>; returns the generation seen.</summary>
    public static async Task<long> WaitForGenerationAsync(string tokenDir, long generation, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var seen = TokenMetadata.Parse(await File.ReadAllTextAsync(Path.Combine(tokenDir, "token.json"), cancellationToken)).Generation;
            if (seen >= generation)
            {
                return seen;
            }

            Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), $"the refresher did not reach generation {generation} (at {seen})");
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Fails if any step, argv or Docker output held <paramref name="secret"/> in any form a leak could take. A step's
    /// own <c>::add-mask::</c> lines are left out: the runner takes them as commands and never shows them.
    /// </summary>
    public void AssertNowhere(string secret, string what)
    {
        foreach (var result in _everything)
        {
            var shown = string.Join('\n', result.All.Split('\n').Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal)));
            SecretScan.AssertAbsent(shown, secret, $"{what} (in `{result.CommandLine[..Math.Min(60, result.CommandLine.Length)]}`)");
        }
    }

    /// <summary>Removes whatever refresher a failed test left.</summary>
    public async Task RemoveRefreshersAsync()
    {
        foreach (var id in await RefreshersAsync())
        {
            await ProcessRunner.DockerAsync("rm", "-f", id);
        }
    }
}

/// <summary>Finds the refresher containers of one simulated runner by their labels.</summary>
public static class RefresherContainers
{
    public static async Task<List<string>> OfAsync(RunnerSimulation runner)
    {
        var list = await ProcessRunner.DockerAsync("ps", "-aq", "--no-trunc", "--filter", "label=studio-token.refresher", "--filter", "label=studio-token.token-dir");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(id => Inspect(id).Contains(runner.Temp, StringComparison.Ordinal)).ToList();

        static string Inspect(string id) => ProcessRunner.DockerAsync("inspect", "--format", "{{index .Config.Labels \"studio-token.token-dir\"}}", id).GetAwaiter().GetResult().Output;
    }
}
