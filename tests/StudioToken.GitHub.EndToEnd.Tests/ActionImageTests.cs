using Newtonsoft.Json.Linq;
using StudioToken.Core.Storage;
using StudioToken.LocalEndpoint;
using StudioToken.Testing;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// The action's image on a real Docker engine, run as the runner runs it, against a real token endpoint on
/// 127.0.0.1 whose tokens live a few seconds. Real time, bounded waits: these are end-to-end tests.
/// </summary>
[Category("EndToEnd")]
[Platform("Linux")]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class ActionImageTests
{
    private const string ClientSecret = "e2e-secret-\u00df+/%:";
    private const string GitHubToken = "ghs_e2e-not-a-real-token";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private string _image = null!;
    private RunnerSimulation _runner = null!;
    private LocalTokenEndpoint _endpoint = null!;
    private readonly List<ProcessResult> _everything = [];

    [SetUp]
    public void SetUp()
    {
        _image = Environment.GetEnvironmentVariable("STUDIO_TOKEN_ACTION_IMAGE") ?? string.Empty;
        if (_image.Length == 0)
        {
            Assert.Ignore("set STUDIO_TOKEN_ACTION_IMAGE to an image built by action/build-image.sh (.ci/run does)");
        }

        _runner = new RunnerSimulation(_image);
        _endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientId = "e2e-client", ClientSecret = ClientSecret, TokenLifetime = TimeSpan.FromSeconds(4) });
        _everything.Clear();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_image.Length == 0)
        {
            return;
        }

        foreach (var id in await RefreshersAsync())
        {
            await ProcessRunner.DockerAsync("rm", "-f", id);
        }

        await _endpoint.DisposeAsync();
        _runner.Dispose();
        foreach (var result in _everything)
        {
            Assert.That(result.All, Does.Not.Contain(ClientSecret).And.Not.Contain(Uri.EscapeDataString(ClientSecret)), $"the client secret leaked: {result.CommandLine}");
            Assert.That(result.All, Does.Not.Contain(GitHubToken), $"the GitHub token leaked: {result.CommandLine}");
        }
    }

    [Test]
    public async Task Main_masks_exports_and_leaves_a_refresher_that_rotates_until_post_cleans_up(CancellationToken cancellationToken)
    {
        var step = _runner.NewStep();
        var main = await Run("action-main", step, Inputs());
        Assert.That(main.ExitCode, Is.Zero, main.ToString());

        var env = FileCommandFile.Parse(_runner.HostFile(step.Env));
        var outputs = FileCommandFile.Parse(_runner.HostFile(step.Output));
        var state = FileCommandFile.Parse(_runner.HostFile(step.State));
        var path = File.ReadAllText(_runner.HostFile(step.Path)).Trim();
        var token = env["STUDIO_TOKEN"];
        var tokenFile = env["STUDIO_TOKEN_FILE"];
        var tokenDir = Path.GetDirectoryName(tokenFile)!;

        // Masks come before anything that could show what they mask.
        var lines = main.Output.Split('\n');
        var tokenMask = Array.FindIndex(lines, l => l == "::add-mask::" + token);
        Assert.That(tokenMask, Is.GreaterThanOrEqualTo(0), main.ToString());
        Assert.That(Array.FindIndex(lines, l => l.Contains(token, StringComparison.Ordinal)), Is.EqualTo(tokenMask));
        Assert.That(lines[0], Does.StartWith("::add-mask::"), "the client secret is masked first");

        Assert.Multiple(() =>
        {
            Assert.That(outputs["token"], Is.EqualTo(token));
            Assert.That(outputs["token-file"], Is.EqualTo(tokenFile));
            Assert.That(outputs["token-dir"], Is.EqualTo(tokenDir));
            Assert.That(DateTimeOffset.Parse(outputs["expires-at"], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(-5)));
            Assert.That(tokenFile, Does.StartWith(_runner.Temp + "/studio-token/"), "exported paths are host paths");
            Assert.That(path, Is.EqualTo(Path.Combine(tokenDir, "bin")));
            Assert.That(state, Does.ContainKey("studio_token"));
            Assert.That(File.ReadAllText(_runner.HostFile(step.Summary)), Does.Contain(_endpoint.TokenUrl.AbsoluteUri).And.Not.Contain(token));
        });

        // A later step, as the runner user, reads current tokens through the host reader while main is long gone.
        var seen = new HashSet<string>();
        var generation = 0L;
        while (generation < 4)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await RunnerSimulation.AsRunnerUserAsync("sh", Path.Combine(path, "studio-token"), "get", "--token-dir", tokenDir, "--min-valid", "1s");
            _everything.Add(read);
            Assert.That(read.ExitCode, Is.Zero, read.ToString());
            Assert.That(read.Error.Trim(), Is.EqualTo("::add-mask::" + read.Output));
            seen.Add(read.Output);
            generation = TokenMetadata.Parse(File.ReadAllText(Path.Combine(tokenDir, "token.json"))).Generation;
            await Task.Delay(PollInterval, cancellationToken);
        }

        Assert.That(seen, Has.Count.GreaterThanOrEqualTo(2), "rotated tokens were read");
        Assert.That(await OwnerAndModeAsync(tokenFile), Is.EqualTo($"{RunnerSimulation.RunnerUid}:{RunnerSimulation.RunnerUid} 600"));
        Assert.That(await OwnerAndModeAsync(tokenDir), Is.EqualTo($"{RunnerSimulation.RunnerUid}:{RunnerSimulation.RunnerUid} 700"));

        var refreshers = await RefreshersAsync();
        Assert.That(refreshers, Has.Count.EqualTo(1));
        var inspect = await ProcessRunner.DockerAsync("inspect", refreshers[0]);
        _everything.Add(inspect);
        Assert.That(inspect.Output, Does.Not.Contain(token), "no token in the refresher's configuration");
        Assert.That((string?)JArray.Parse(inspect.Output)[0]["HostConfig"]!["NetworkMode"], Is.EqualTo("host"));

        var postStep = _runner.NewStep();
        var post = await Run("action-post", postStep, Inputs(), new Dictionary<string, string> { ["studio_token"] = state["studio_token"] });
        Assert.That(post.ExitCode, Is.Zero, post.ToString());
        Assert.That(await RefreshersAsync(), Is.Empty, "post leaves no refresher container");
        Assert.That(Directory.Exists(tokenDir), Is.False, "post deletes the token directory");
        Assert.That(File.ReadAllText(_runner.HostFile(postStep.Summary)), Does.Contain("refresh history").And.Contain("| failed refreshes | 0 |"));
        Assert.That((await ProcessRunner.DockerAsync("ps", "-aq", "--filter", "label=studio-token-e2e")).Output.Trim(), Is.Empty, "no action container left");
    }

    [Test]
    public async Task A_refresher_whose_directory_is_deleted_without_a_post_step_stops_by_itself(CancellationToken cancellationToken)
    {
        var step = _runner.NewStep();
        var main = await Run("action-main", step, Inputs());
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        Assert.That(await RefreshersAsync(), Has.Count.EqualTo(1));

        var tokenDir = Path.GetDirectoryName(FileCommandFile.Parse(_runner.HostFile(step.Env))["STUDIO_TOKEN_FILE"])!;
        Directory.Delete(tokenDir, recursive: true);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while ((await RefreshersAsync()).Count > 0)
        {
            Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), "the refresher must stop within a minute of its directory going away");
            await Task.Delay(PollInterval, cancellationToken);
        }

        Assert.That(Directory.Exists(tokenDir), Is.False);
    }

    [Test]
    public async Task A_refresher_stops_by_itself_when_the_GitHub_API_says_the_job_has_completed(CancellationToken cancellationToken)
    {
        using var api = new FakeGitHubApi();
        var step = _runner.NewStep();
        var main = await Run("action-main", step, Inputs(), jobEnvironment: new() { ["GITHUB_API_URL"] = api.Url.AbsoluteUri, ["STUDIO_JOB_POLL_INTERVAL"] = "1s" });
        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        while (api.NotModified < 1)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        Assert.That(await RefreshersAsync(), Has.Count.EqualTo(1), "a running job keeps its refresher");
        api.JobStatus = "completed";
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while ((await RefreshersAsync()).Count > 0)
        {
            Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), "the refresher must stop soon after the job completed");
            await Task.Delay(PollInterval, cancellationToken);
        }

        Assert.That(api.LastAuthorization, Does.EndWith(GitHubToken), "Octokit authenticates with github-token");
        Assert.That(api.NotModified, Is.GreaterThanOrEqualTo(1), "repeated polls are conditional (If-None-Match, answered 304)");
    }

    [TestCase("abc\r\nINJECTED=1")]
    [TestCase("::set-env name=X::1")]
    [TestCase("abc%0Adef")]
    public async Task A_hostile_token_fails_the_step_and_exports_nothing(string hostileToken)
    {
        _endpoint.EnqueueFault(new EndpointFault.RawResponse(200, "application/json", new JObject { ["access_token"] = hostileToken, ["token_type"] = "Bearer", ["expires_in"] = 60 }.ToString()));
        var step = _runner.NewStep();

        var main = await Run("action-main", step, Inputs());

        Assert.That(main.ExitCode, Is.EqualTo(3), main.ToString());
        Assert.That(main.Output, Does.Contain("::error title=studio-token%3A token request failed::").And.Contain("b64token"));
        foreach (var file in new[] { step.Env, step.Output, step.State, step.Path })
        {
            Assert.That(File.ReadAllText(_runner.HostFile(file)), Is.Empty, $"{file} must stay empty");
        }

        Assert.That(await RefreshersAsync(), Is.Empty);
    }

    [Test]
    public async Task Bad_inputs_fail_the_step_naming_each_input_before_any_request()
    {
        var inputs = Inputs();
        inputs["refresh-at"] = "2";
        inputs["env-name"] = "1BAD";
        var step = _runner.NewStep();

        var main = await Run("action-main", step, inputs);

        Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
        Assert.That(main.Output, Does.Contain("::error title=studio-token%3A input refresh-at::"));
        Assert.That(main.Output, Does.Contain("::error title=studio-token%3A input env-name::"));
        Assert.That(_endpoint.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Without_a_Docker_socket_it_still_fetches_and_exports_and_warns_that_refresh_is_off()
    {
        var step = _runner.NewStep();

        var main = await Run("action-main", step, Inputs(), withDockerSocket: false);

        Assert.That(main.ExitCode, Is.Zero, main.ToString());
        Assert.That(main.Output, Does.Contain("::warning::").And.Contain("NOT be refreshed"));
        var env = FileCommandFile.Parse(_runner.HostFile(step.Env));
        Assert.That(env["STUDIO_TOKEN_FILE"], Does.StartWith(_runner.Temp + "/studio-token/"), "host path from RUNNER_WORKSPACE's sibling _temp");
        Assert.That(File.ReadAllText(env["STUDIO_TOKEN_FILE"]), Is.EqualTo(env["STUDIO_TOKEN"]));
        Assert.That(await RefreshersAsync(), Is.Empty);
    }

    [Test]
    public async Task A_token_dir_that_already_holds_files_is_refused_and_left_alone(CancellationToken cancellationToken)
    {
        var workspaceFile = Path.Combine(_runner.Workspace, "build-output.txt");
        await File.WriteAllTextAsync(workspaceFile, "not the action's", cancellationToken);
        var inputs = Inputs();
        inputs["token-dir"] = _runner.Workspace;

        var main = await Run("action-main", _runner.NewStep(), inputs);

        Assert.That(main.ExitCode, Is.EqualTo(1), main.ToString());
        Assert.That(main.Output, Does.Contain("::error title=studio-token%3A input token-dir::").And.Contain("already exists and is not empty"));
        Assert.That(await File.ReadAllTextAsync(workspaceFile, cancellationToken), Is.EqualTo("not the action's"));
        Assert.That(await RefreshersAsync(), Is.Empty);
    }

    private Dictionary<string, string> Inputs() => new()
    {
        ["token-url"] = _endpoint.TokenUrl.AbsoluteUri,
        ["client-id"] = "e2e-client",
        ["client-secret"] = ClientSecret,
        ["scope"] = "studio:script",
        ["github-token"] = GitHubToken,
    };

    private async Task<ProcessResult> Run(string entrypoint, StepFiles step, Dictionary<string, string> inputs, Dictionary<string, string>? state = null, bool withDockerSocket = true, Dictionary<string, string>? jobEnvironment = null)
    {
        var result = await _runner.RunStepAsync(entrypoint, step, inputs, state, withDockerSocket, jobEnvironment);
        _everything.Add(result);
        Assert.That(result.CommandLine, Does.Not.Contain(ClientSecret), "no secret on docker's argv");
        return result;
    }

    private Task<List<string>> RefreshersAsync() => RefresherContainers.OfAsync(_runner);

    private static async Task<string> OwnerAndModeAsync(string path) =>
        (await ProcessRunner.RunAsync("stat", ["-c", "%u:%g %a", path])).Output.Trim();
}
