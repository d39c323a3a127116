using Newtonsoft.Json.Linq;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>What the end-to-end tests read from a task run: its variables, what the agent would show, the job's processes.</summary>
public static class TaskRun
{
    public static AgentCommand Variable(IEnumerable<AgentCommand> commands, string name) =>
        commands.Single(c => c.Command == "task.setvariable" && c.Property("variable") == name);

    public static string TaskVariable(IEnumerable<AgentCommand> commands, string name) =>
        commands.Single(c => c.Command == "task.settaskvariable" && c.Property("variable") == name).Data;

    /// <summary>The agent shows neither registered secrets nor secret variables' values; everything else is shown.</summary>
    public static string WithoutAgentConsumedCommands(string printed) =>
        string.Join('\n', printed.Split('\n').Where(line => !line.Contains("##vso[task.setsecret]", StringComparison.Ordinal) && !line.Contains("issecret=true]", StringComparison.Ordinal)));

    /// <summary>
    /// Waits (real time, bounded by the test's timeout) until the refresher has written generation
    /// <paramref name="wanted"/>; every token read on the way goes to <paramref name="seen"/>, for the leak scan.
    /// </summary>
    public static async Task<int> WaitForGenerationAsync(string tokenFile, int wanted, List<string> seen, CancellationToken cancellationToken)
    {
        var metadataFile = Path.Combine(Path.GetDirectoryName(tokenFile)!, "token.json");
        while (true)
        {
            seen.Add(await File.ReadAllTextAsync(tokenFile, cancellationToken));
            var generation = (int)JObject.Parse(await File.ReadAllTextAsync(metadataFile, cancellationToken))["generation"]!;
            if (generation >= wanted)
            {
                return generation;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public static List<int> ProcessesWithLookupId(string lookupId)
    {
        var marker = "VSTS_PROCESS_LOOKUP_ID=" + lookupId + "\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    {
                        continue;
                    }

                    if (File.ReadAllText(Path.Combine(dir, "environ")).Contains(marker, StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        return found;
    }

    public static void KillQuietly(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
