using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>One <c>##vso[...]</c> command as the agent reads it, parsed by azure-pipelines-task-lib's own parser.</summary>
public sealed record AgentCommand(int Line, string Command, IReadOnlyDictionary<string, string> Properties, string Data)
{
    public string? Property(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Runs <c>azure-task/test/agent-commands.js</c> over what a step printed; a line it cannot parse fails the test.</summary>
    public static async Task<IReadOnlyList<AgentCommand>> ParseAsync(string printed, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"agent-output-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, printed, cancellationToken);
        try
        {
            var parse = await ProcessRunner.RunAsync("node", [Path.Combine(TaskLayout.RepositoryRoot, "azure-task", "test", "agent-commands.js"), file], cancellationToken: cancellationToken);
            Assert.That(parse.ExitCode, Is.Zero, parse.ToString());
            var commands = new List<AgentCommand>();
            foreach (var line in parse.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // Dates stay text: the agent sees the characters, not a DateTime.
                using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None };
                var json = JObject.Load(reader);
                Assert.That(json["error"], Is.Null, $"the agent could not parse line {json["line"]}: {json["error"]}");
                var properties = ((JObject?)json["properties"])?.Properties().ToDictionary(p => p.Name, p => (string?)p.Value ?? string.Empty, StringComparer.Ordinal) ?? [];
                commands.Add(new AgentCommand((int)json["line"]!, (string)json["command"]!, properties, (string?)json["data"] ?? string.Empty));
            }

            return commands;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
