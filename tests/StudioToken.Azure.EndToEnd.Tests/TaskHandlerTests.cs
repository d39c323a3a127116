using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;
using StudioToken.TestServer;

using static StudioToken.Azure.EndToEnd.Tests.TaskRun;

namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>
/// The staged task run by Node as the agent runs it, against a real OpenIddict server on 127.0.0.1 whose tokens live
/// a few seconds, its output parsed by azure-pipelines-task-lib. Real processes and real time, bounded waits.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TaskHandlerTests
{
    private static readonly TestClient Client = TestClient.DefaultBasic;

    private OpenIddictTestServer _server = null!;
    private AgentSimulation _agent = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        if (TaskLayout.TaskDirectory is null)
        {
            Assert.Ignore("set STUDIO_TOKEN_AZURE_TASK_DIR to a task folder staged by azure-task/build-vsix.sh (.ci/run does)");
        }

        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromSeconds(4) });

        // The first request warms the server (JIT, key material) so no token the task gets is half spent waiting.
        using var warmUp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = TokenRequest(_server.TokenUrl);
        (await warmUp.SendAsync(request)).Dispose();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public void SetUp() => _agent = new AgentSimulation(TaskLayout.TaskDirectory!);

    [TearDown]
    public void TearDown()
    {
        foreach (var pid in ProcessesOfThisJob())
        {
            KillQuietly(pid);
        }

        foreach (var run in _agent.Runs)
        {
            SecretScan.AssertAbsent(WithoutAgentConsumedCommands(run.All), Client.ClientSecret, $"the output of {run.CommandLine}");
        }

        _agent.Dispose();
    }

    [Test]
    public async Task A_service_connection_gives_a_masked_token_and_a_refresher_that_later_steps_read_until_the_post_job_step_cleans_up(CancellationToken cancellationToken)
    {
        var inputs = AgentSimulation.DefaultInputs();
        foreach (var (name, value) in AgentSimulation.ServiceConnection(_server.TokenUrl, Client.ClientId, Client.ClientSecret, _server.RevocationUrl, TestScopes.Script))
        {
            inputs[name] = value;
        }

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        var lines = main.Output.Split('\n');

        // The secret and the token are registered before any line could show them.
        var secrets = commands.Where(c => c.Command == "task.setsecret").ToList();
        Assert.That(secrets.Select(c => c.Data), Does.Contain(Client.ClientSecret));
        Assert.That(secrets[0].Line, Is.EqualTo(1), "the client secret is registered first");
        var token = Variable(commands, "STUDIO_TOKEN");
        Assert.That(token.Property("issecret"), Is.EqualTo("true"));
        var tokenSecret = secrets.Single(c => c.Data == token.Data);
        var firstShowing = Array.FindIndex(lines, line => line.Contains(token.Data, StringComparison.Ordinal) && !line.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal));
        Assert.That(tokenSecret.Line - 1, Is.LessThan(firstShowing), "the token is registered before any other line holds it");

        // Output variables, PATH and the token directory under the agent's temp directory.
        var tokenFile = Variable(commands, "STUDIO_TOKEN_FILE").Data;
        var tokenDir = Path.GetDirectoryName(tokenFile)!;
        Assert.That(tokenDir, Does.StartWith(Path.Combine(_agent.TempDirectory, "studio-token")));
        Assert.That(await File.ReadAllTextAsync(tokenFile, cancellationToken), Does.Match("^[A-Za-z0-9._~+/-]+=*$"), "a bearer token (the refresher may already have replaced the first)");
        Assert.That(Variable(commands, "STUDIO_TOKEN_EXPIRES_AT").Data, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.That(File.GetUnixFileMode(tokenDir), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(tokenFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(commands.Count(c => c.Command == "task.prependpath"), Is.EqualTo(1));

        // The refresher: a process of its own session whose standard streams are its log, with no secret in its argv or environment.
        var pid = int.Parse(TaskVariable(commands, "studioTokenRefresherPid"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(ProcessesOfThisJob(), Does.Contain(pid), "the agent's job-end cleanup finds the refresher by VSTS_PROCESS_LOOKUP_ID");
        var argv = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken);
        var environ = await File.ReadAllTextAsync($"/proc/{pid}/environ", cancellationToken);
        SecretScan.AssertAbsent(argv, Client.ClientSecret, "the refresher's command line");
        SecretScan.AssertAbsent(environ, Client.ClientSecret, "the refresher's environment");
        Assert.That(environ, Does.Not.Contain("ENDPOINT_").And.Not.Contain("INPUT_").And.Not.Contain("SYSTEM_ACCESSTOKEN"));
        Assert.That(new FileInfo($"/proc/{pid}/fd/1").LinkTarget, Is.EqualTo(Path.Combine(tokenDir, "refresher.log")));
        Assert.That(new FileInfo($"/proc/{pid}/fd/2").LinkTarget, Is.EqualTo(Path.Combine(tokenDir, "refresher.log")));

        // Later steps, each a process of its own, read rotating tokens through `studio-token get`, each one masked.
        // Tokens live 4 s and rotate every 2 s: a few hundred short steps are plenty for three rotations.
        var seen = new List<string> { token.Data };
        for (var step = 0; seen.Distinct().Count() < 4 && step < 500; step++)
        {
            var get = await _agent.RunLaterStepAsync(commands, "studio-token", ["get", "--min-valid", "1s", "--wait", "10s"], cancellationToken);
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            var current = get.Output;
            Assert.That(get.Error, Does.Contain("##vso[task.setsecret]" + current), "get registers each token it prints");
            seen.Add(current);
        }

        Assert.That(seen.Distinct().Count(), Is.GreaterThanOrEqualTo(4), "three rotations reached later steps");

        // The post-job step stops the refresher, revokes the last token and leaves no directory and no process.
        var lastToken = await File.ReadAllTextAsync(tokenFile, cancellationToken);
        var post = await _agent.RunPostAsync(inputs, commands, cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        var postCommands = await AgentCommand.ParseAsync(post.Output, cancellationToken);
        Assert.That(postCommands.Where(c => c.Command == "task.logissue"), Is.Empty, post.ToString());
        Assert.That(post.Output, Does.Contain($"refresher (process {pid}) stopped").And.Contain("revocation: revoked").And.Contain("refreshed: generation"));
        Assert.That(Directory.Exists(tokenDir), Is.False);
        Assert.That(ProcessesOfThisJob(), Is.Empty, "no process of the job is left");
        Assert.That(await IsActiveAsync(lastToken, cancellationToken), Is.False, "the last token was revoked");

        // `get` prints the token on purpose (after registering it); the task's own steps never show one.
        foreach (var run in _agent.Runs.Where(run => run.CommandLine.StartsWith("node ", StringComparison.Ordinal)))
        {
            foreach (var issued in seen.Distinct())
            {
                Assert.That(WithoutAgentConsumedCommands(run.Output), Does.Not.Contain(issued), $"a token showed in the output of {run.CommandLine}");
            }
        }
    }

    [Test]
    public async Task Without_a_native_build_for_the_agent_the_portable_build_runs_on_the_agents_dotnet(CancellationToken cancellationToken)
    {
        // The task folder as an agent on another OS sees it: no native build for it, launchers extracted without +x.
        var portableTask = Path.Combine(_agent.TempDirectory, "task");
        CopyDirectory(TaskLayout.TaskDirectory!, portableTask);
        Directory.Delete(Path.Combine(portableTask, "bin", "linux-x64"), recursive: true);
        var launcher = Path.Combine(portableTask, "bin", "portable", "studio-token");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var agent = new AgentSimulation(portableTask);
        try
        {
            var inputs = AgentSimulation.DefaultInputs();
            foreach (var (name, value) in AgentSimulation.ServiceConnection(_server.TokenUrl, Client.ClientId, Client.ClientSecret, _server.RevocationUrl, TestScopes.Script))
            {
                inputs[name] = value;
            }

            var main = await agent.RunMainAsync(inputs, cancellationToken);
            Assert.That(main.ExitCode, Is.Zero, main.ToString());
            var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
            Assert.That(commands.Single(c => c.Command == "task.prependpath").Data.TrimEnd('/'), Is.EqualTo(Path.GetDirectoryName(launcher)));
            var refresher = int.Parse(TaskVariable(commands, "studioTokenRefresherPid"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(await File.ReadAllTextAsync($"/proc/{refresher}/cmdline", cancellationToken), Does.Contain("studio-token.dll\0azure-refresher"));

            var get = await agent.RunLaterStepAsync(commands, "studio-token", ["get"], cancellationToken);
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            Assert.That(get.Output, Is.Not.Empty);

            var post = await agent.RunPostAsync(inputs, commands, cancellationToken);
            Assert.That(post.ExitCode, Is.Zero, post.ToString());
            Assert.That(post.Output, Does.Contain($"refresher (process {refresher}) stopped").And.Contain("revocation: revoked"));
            foreach (var run in agent.Runs)
            {
                SecretScan.AssertAbsent(WithoutAgentConsumedCommands(run.All), Client.ClientSecret, $"the output of {run.CommandLine}");
            }
        }
        finally
        {
            foreach (var pid in ProcessesWithLookupId(agent.ProcessLookupId))
            {
                KillQuietly(pid);
            }

            agent.Dispose();
        }
    }

    [Test]
    public async Task Inputs_on_the_task_work_without_a_service_connection_and_refresh_false_leaves_no_process(CancellationToken cancellationToken)
    {
        var inputs = AgentSimulation.DefaultInputs();
        inputs["INPUT_TOKENURL"] = _server.TokenUrl.AbsoluteUri;
        inputs["INPUT_CLIENTID"] = Client.ClientId;
        inputs["INPUT_CLIENTSECRET"] = Client.ClientSecret;
        inputs["INPUT_SCOPE"] = TestScopes.Script;
        inputs["INPUT_REFRESH"] = "false";

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        Assert.That(commands.Where(c => c.Command == "task.settaskvariable").Select(c => c.Property("variable")), Is.EqualTo(new[] { "studioTokenDir" }));
        Assert.That(ProcessesOfThisJob(), Is.Empty);

        var post = await _agent.RunPostAsync(inputs, commands, cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(post.Output, Does.Contain("revocation: no revocation endpoint"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(Variable(commands, "STUDIO_TOKEN_FILE").Data)), Is.False);
    }

    [Test]
    public async Task Bad_inputs_fail_the_step_with_one_error_each_and_leave_nothing(CancellationToken cancellationToken)
    {
        var inputs = AgentSimulation.DefaultInputs();
        inputs["INPUT_TOKENURL"] = "studio.example.com/token";
        inputs["INPUT_CLIENTSECRET"] = Client.ClientSecret;
        inputs["INPUT_REFRESHAT"] = "2";

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
        var errors = (await AgentCommand.ParseAsync(main.Output, cancellationToken)).Where(c => c.Command == "task.logissue").ToList();
        Assert.That(errors.Select(e => e.Property("type")), Is.All.EqualTo("error"));
        Assert.That(errors.Select(e => e.Data), Has.Some.Contains("input tokenUrl:").And.Some.Contains("input clientId:").And.Some.Contains("input refreshAt:"));
        Assert.That(Directory.EnumerateFileSystemEntries(_agent.TempDirectory), Is.Empty);

        var post = await _agent.RunPostAsync(inputs, [], cancellationToken);
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(post.Output, Does.Contain("nothing to clean up"));
    }

    [Test]
    public async Task A_wrong_secret_fails_the_step_with_exit_code_2_naming_invalid_client(CancellationToken cancellationToken)
    {
        const string wrongSecret = "wrong-secret-\u00e9;]%";
        var inputs = AgentSimulation.DefaultInputs();
        foreach (var (name, value) in AgentSimulation.ServiceConnection(_server.TokenUrl, Client.ClientId, wrongSecret, null, TestScopes.Script))
        {
            inputs[name] = value;
        }

        var main = await _agent.RunMainAsync(inputs, cancellationToken);
        Assert.That(main.ExitCode, Is.EqualTo(2), main.ToString());
        var commands = await AgentCommand.ParseAsync(main.Output, cancellationToken);
        Assert.That(commands[0].Command, Is.EqualTo("task.setsecret"));
        Assert.That(commands[0].Data, Is.EqualTo(wrongSecret), "the agent reads back exactly the secret, special characters and all");
        Assert.That(commands.Single(c => c.Command == "task.logissue").Data, Does.Contain("invalid_client"));
        SecretScan.AssertAbsent(WithoutAgentConsumedCommands(main.All), wrongSecret, "the failed step's output");
        Assert.That(Directory.EnumerateFileSystemEntries(_agent.TempDirectory), Is.Empty);
    }

    /// <summary>The processes the agent's job-end cleanup would kill: those whose environment holds this job's lookup id.</summary>
    private List<int> ProcessesOfThisJob() => ProcessesWithLookupId(_agent.ProcessLookupId);

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }

    private static HttpRequestMessage TokenRequest(Uri tokenUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = TestScopes.Script }),
        };
        request.Headers.Authorization = BasicAuthorization();
        return request;
    }

    private static AuthenticationHeaderValue BasicAuthorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(Client.ClientId)}:{Uri.EscapeDataString(Client.ClientSecret)}")));

    private Task<bool> IsActiveAsync(string token, CancellationToken cancellationToken) => _server.IsActiveAsync(token, Client, cancellationToken);
}
