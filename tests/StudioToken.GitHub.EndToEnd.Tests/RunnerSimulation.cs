using System.Security.Cryptography;
using StudioToken.Testing;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>The files of one step: the runner makes new file-command files for every step.</summary>
public sealed record StepFiles(string Env, string Output, string State, string Path, string Summary);

/// <summary>
/// Runs the action's image the way actions/runner does (runner-facts.md): <c>docker run --rm</c> with the socket and
/// the five mounts, <c>--workdir /github/workspace</c>, inputs as <c>INPUT_*</c>, <c>GITHUB_*</c> paths translated to
/// the container's, environment values passed by name only, over a work directory whose temp belongs to a non-root
/// runner user.
/// </summary>
public sealed class RunnerSimulation : IDisposable
{
    public const int RunnerUid = 1001;

    public RunnerSimulation(string image)
    {
        Image = image;
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "studio-token-e2e", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Work = System.IO.Path.Combine(Root, "_work");
        Temp = System.IO.Path.Combine(Work, "_temp");
        RunnerWorkspace = System.IO.Path.Combine(Work, "repo");
        Workspace = System.IO.Path.Combine(RunnerWorkspace, "repo");
        foreach (var directory in new[] { Temp, Home, WorkflowDir, FileCommands, Workspace })
        {
            Directory.CreateDirectory(directory);
        }

        foreach (var directory in new[] { Root, Work, Temp, Home, WorkflowDir, FileCommands, RunnerWorkspace, Workspace })
        {
            Chown(directory);
        }
    }

    public string Image { get; }

    public string Root { get; }

    public string Work { get; }

    public string Temp { get; }

    public string RunnerWorkspace { get; }

    public string Workspace { get; }

    public string Home => System.IO.Path.Combine(Temp, "_github_home");

    public string WorkflowDir => System.IO.Path.Combine(Temp, "_github_workflow");

    public string FileCommands => System.IO.Path.Combine(Temp, "_runner_file_commands");

    public StepFiles NewStep()
    {
        var id = Guid.NewGuid().ToString("N");
        var files = new StepFiles($"set_env_{id}", $"set_output_{id}", $"save_state_{id}", $"add_path_{id}", $"step_summary_{id}");
        foreach (var name in new[] { files.Env, files.Output, files.State, files.Path, files.Summary })
        {
            File.WriteAllText(System.IO.Path.Combine(FileCommands, name), string.Empty);
            Chown(System.IO.Path.Combine(FileCommands, name));
        }

        return files;
    }

    public string HostFile(string name) => System.IO.Path.Combine(FileCommands, name);

    /// <summary>Runs one step of the action (<c>action-main</c> or <c>action-post</c>).</summary>
    public Task<ProcessResult> RunStepAsync(string entrypoint, StepFiles files, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string>? state = null, bool withDockerSocket = true, IReadOnlyDictionary<string, string>? jobEnvironment = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["HOME"] = "/github/home",
            ["GITHUB_ENV"] = "/github/file_commands/" + files.Env,
            ["GITHUB_OUTPUT"] = "/github/file_commands/" + files.Output,
            ["GITHUB_STATE"] = "/github/file_commands/" + files.State,
            ["GITHUB_PATH"] = "/github/file_commands/" + files.Path,
            ["GITHUB_STEP_SUMMARY"] = "/github/file_commands/" + files.Summary,
            ["RUNNER_TEMP"] = "/github/runner_temp",
            ["GITHUB_WORKSPACE"] = "/github/workspace",
            ["RUNNER_WORKSPACE"] = RunnerWorkspace,
            ["GITHUB_ACTION"] = "fetch-token",
            ["GITHUB_REPOSITORY"] = "org/repo",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_RUN_ATTEMPT"] = "1",
            ["GITHUB_JOB"] = "deploy",
            ["RUNNER_NAME"] = "e2e-runner",
            ["GITHUB_API_URL"] = "http://127.0.0.1:9",
        };
        foreach (var (name, value) in inputs)
        {
            environment["INPUT_" + name.Replace(' ', '_').ToUpperInvariant()] = value;
        }

        foreach (var (name, value) in jobEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        foreach (var (name, value) in state ?? new Dictionary<string, string>())
        {
            environment["STATE_" + name] = value;
        }

        var arguments = new List<string> { "run", "--name", $"studio-token-e2e_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}", "--label", "studio-token-e2e", "--workdir", "/github/workspace", "--rm", "--network", "host" };
        foreach (var name in environment.Keys)
        {
            arguments.Add("-e");
            arguments.Add(name);
        }

        if (withDockerSocket)
        {
            arguments.AddRange(["-v", "/var/run/docker.sock:/var/run/docker.sock"]);
        }

        arguments.AddRange([
            "-v", $"{Temp}:/github/runner_temp",
            "-v", $"{Home}:/github/home",
            "-v", $"{WorkflowDir}:/github/workflow",
            "-v", $"{FileCommands}:/github/file_commands",
            "-v", $"{Workspace}:/github/workspace",
            "--entrypoint", "/usr/local/bin/" + entrypoint,
            Image,
        ]);
        return ProcessRunner.RunAsync("docker", arguments, environment);
    }

    /// <summary>A command as the runner user, the way a later <c>run:</c> step would.</summary>
    public static Task<ProcessResult> AsRunnerUserAsync(string fileName, params string[] arguments) =>
        ProcessRunner.RunAsync("setpriv", [$"--reuid={RunnerUid}", $"--regid={RunnerUid}", "--clear-groups", fileName, .. arguments], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static void Chown(string path) =>
        ProcessRunner.RunAsync("chown", [$"{RunnerUid}:{RunnerUid}", path]).GetAwaiter().GetResult();
}
