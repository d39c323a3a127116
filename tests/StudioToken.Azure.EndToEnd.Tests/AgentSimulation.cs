using StudioToken.Testing;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>
/// Runs the task's Node handler as the agent's Node handler does: <c>node main.js</c> (and <c>post.js</c> for the
/// post-job step) with inputs as <c>INPUT_NAME</c>, the service connection as <c>ENDPOINT_*</c>, task variables as
/// <c>VSTS_TASKVARIABLE_*</c>, <c>TF_BUILD=True</c>, the agent's temp directory and its process lookup id.
/// </summary>
public sealed class AgentSimulation : IDisposable
{
    public const string EndpointId = "0f6c1b52-3a7e-4c1d-9a57-2d1c7a0b9e11";

    private readonly string _taskDirectory;
    private readonly List<ProcessResult> _runs = [];

    public AgentSimulation(string taskDirectory)
    {
        _taskDirectory = taskDirectory;
        TempDirectory = Directory.CreateTempSubdirectory("agent-temp-").FullName;
    }

    public string TempDirectory { get; }

    public string ProcessLookupId { get; } = $"vsts_{Guid.NewGuid()}";

    /// <summary>Everything every step printed, with its command line.</summary>
    public IReadOnlyList<ProcessResult> Runs => _runs;

    public static Dictionary<string, string> ServiceConnection(Uri url, string clientId, string clientSecret, Uri? revocationUrl, string? scope) => new()
    {
        ["INPUT_CONNECTEDSERVICE"] = EndpointId,
        [$"ENDPOINT_URL_{EndpointId}"] = url.AbsoluteUri,
        [$"ENDPOINT_AUTH_{EndpointId}"] = "{\"parameters\":{\"username\":\"***\",\"password\":\"***\"},\"scheme\":\"UsernamePassword\"}",
        [$"ENDPOINT_AUTH_SCHEME_{EndpointId}"] = "UsernamePassword",
        [$"ENDPOINT_AUTH_PARAMETER_{EndpointId}_USERNAME"] = clientId,
        [$"ENDPOINT_AUTH_PARAMETER_{EndpointId}_PASSWORD"] = clientSecret,
        [$"ENDPOINT_DATA_{EndpointId}_SCOPE"] = scope ?? string.Empty,
        [$"ENDPOINT_DATA_{EndpointId}_REVOCATIONURL"] = revocationUrl?.AbsoluteUri ?? string.Empty,
    };

    /// <summary>The inputs the agent passes for every input task.json declares, defaults filled in.</summary>
    public static Dictionary<string, string> DefaultInputs() => new()
    {
        ["INPUT_PROVIDER"] = "oauth",
        ["INPUT_CONNECTEDSERVICE"] = string.Empty,
        ["INPUT_TOKENURL"] = string.Empty,
        ["INPUT_TENANTID"] = string.Empty,
        ["INPUT_CLIENTID"] = string.Empty,
        ["INPUT_CLIENTSECRET"] = string.Empty,
        ["INPUT_SCOPE"] = string.Empty,
        ["INPUT_CLIENTAUTH"] = "client_secret_basic",
        ["INPUT_AUDIENCE"] = string.Empty,
        ["INPUT_RESOURCE"] = string.Empty,
        ["INPUT_EXTRAPARAMS"] = string.Empty,
        ["INPUT_TOKENDIR"] = string.Empty,
        ["INPUT_REFRESH"] = "true",
        ["INPUT_REFRESHAT"] = "0.5",
        ["INPUT_MAXLIFETIME"] = "6h",
        ["INPUT_REVOKE"] = "true",
        ["INPUT_REVOCATIONURL"] = string.Empty,
        ["INPUT_PRIVATEKEY"] = string.Empty,
        ["INPUT_KEYID"] = string.Empty,
        ["INPUT_ASSERTIONAUDIENCE"] = string.Empty,
        ["INPUT_ASSERTIONTYPE"] = string.Empty,
        ["INPUT_OIDCSERVICECONNECTION"] = string.Empty,
        ["INPUT_GRANT"] = "client_credentials",
        ["INPUT_AUTHORITYHOST"] = string.Empty,
        ["INPUT_CERTIFICATEFILE"] = string.Empty,
        ["INPUT_CERTIFICATEPASSWORD"] = string.Empty,
    };

    public Task<ProcessResult> RunMainAsync(IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken) =>
        RunNodeAsync("main.js", inputs, cancellationToken);

    /// <summary>The post-job step gets the same inputs and the task variables the main step set.</summary>
    public Task<ProcessResult> RunPostAsync(IReadOnlyDictionary<string, string> inputs, IEnumerable<AgentCommand> mainCommands, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(inputs);
        foreach (var command in mainCommands.Where(c => c.Command == "task.settaskvariable"))
        {
            environment["VSTS_TASKVARIABLE_" + command.Property("variable")!.Replace('.', '_').ToUpperInvariant()] = command.Data;
        }

        return RunNodeAsync("post.js", environment, cancellationToken);
    }

    /// <summary>A later script step: the PATH the task prepended, and its public variables as environment variables.</summary>
    public async Task<ProcessResult> RunLaterStepAsync(IEnumerable<AgentCommand> mainCommands, string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var commands = mainCommands.ToList();
        var prepend = commands.Where(c => c.Command == "task.prependpath").Select(c => c.Data);
        var environment = Common();
        environment["PATH"] = string.Join(Path.PathSeparator, prepend.Append(Environment.GetEnvironmentVariable("PATH") ?? string.Empty));
        foreach (var variable in commands.Where(c => c.Command == "task.setvariable" && c.Property("issecret") is not "true"))
        {
            environment[variable.Property("variable")!.Replace('.', '_').ToUpperInvariant()] = variable.Data;
        }

        var executable = prepend.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists)
            ?? throw new AssertionException($"{program} is not in any directory the task prepended to PATH");
        return Record(await ProcessRunner.RunAsync(executable, arguments, environment, cancellationToken));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task<ProcessResult> RunNodeAsync(string target, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var environment = Common();
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return Record(await ProcessRunner.RunAsync("node", [Path.Combine(_taskDirectory, target)], environment, cancellationToken));
    }

    private Dictionary<string, string> Common() => new()
    {
        ["TF_BUILD"] = "True",
        ["AGENT_TEMPDIRECTORY"] = TempDirectory,
        ["VSTS_PROCESS_LOOKUP_ID"] = ProcessLookupId,
        ["SYSTEM_ACCESSTOKEN"] = "not-a-real-access-token",
    };

    private ProcessResult Record(ProcessResult result)
    {
        _runs.Add(result);
        return result;
    }
}
