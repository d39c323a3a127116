using Moq;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Steps;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Entra;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>What one step of the task did: its exit code and everything it wrote.</summary>
internal sealed record StepRun(int ExitCode, AgentOutput Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output.Text}";
}

/// <summary>
/// One pipeline job as the agent runs the task in it: the inputs and variables it passes (the same to the main and
/// the post-job step), an agent temp directory of its own, a clock that moves only when told, and a refresher
/// launcher the test controls.
/// </summary>
internal sealed class AgentJob : IDisposable
{
    public const string DefaultProgramDirectory = "/opt/studio-token/bin";

    private readonly TemporaryDirectory _temp = new();

    public AgentJob(OpenIddictTestServer server, TestClient client)
        : this(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["INPUT_TOKENURL"] = server.TokenUrl.AbsoluteUri,
            ["INPUT_CLIENTID"] = client.ClientId,
            ["INPUT_CLIENTSECRET"] = client.ClientSecret,
            ["INPUT_CLIENTAUTH"] = client.Auth == ClientAuthStyle.Basic ? "client_secret_basic" : "client_secret_post",
            ["INPUT_SCOPE"] = TestScopes.Script,
            ["INPUT_REVOCATIONURL"] = server.RevocationUrl.AbsoluteUri,
        })
    {
    }

    /// <summary>
    /// A job whose task asks the Entra stand-in (<c>provider: entra</c>, a client secret) through MSAL, with an HTTP
    /// client that trusts the stand-in's certificate alone.
    /// </summary>
    public AgentJob(EntraStandIn standIn, string tenant, string clientId, string clientSecret)
        : this(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["INPUT_PROVIDER"] = "entra",
            ["INPUT_TENANTID"] = tenant,
            ["INPUT_AUTHORITYHOST"] = standIn.AuthorityHost.AbsoluteUri,
            ["INPUT_CLIENTID"] = clientId,
            ["INPUT_CLIENTSECRET"] = clientSecret,
            ["INPUT_CLIENTAUTH"] = "client_secret_basic",
            ["INPUT_RESOURCE"] = "https://management.azure.com",
        })
    {
        CreateHttpClient = () => new HttpClient(standIn.CreateTrustingHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        CreateEntraSource = (settings, http, refreshPolicy, redactor) => new EntraTokenSource(settings, http, Clock, refreshPolicy, new FixedRandom(0.5), redactor);
    }

    private AgentJob(Dictionary<string, string> inputs)
    {
        AgentTempDirectory = _temp.Combine("_temp");
        Directory.CreateDirectory(AgentTempDirectory);
        Environment = inputs;
        Environment["AGENT_TEMPDIRECTORY"] = AgentTempDirectory;
        Environment["TF_BUILD"] = "True";
    }

    /// <summary>How the task reaches the network; by default plain HTTP to the OpenIddict server.</summary>
    public Func<HttpClient> CreateHttpClient { get; init; } = () => new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>MSAL's token source, as the CLI composes it; null as in a build without Entra ID.</summary>
    public Func<EntraSettings, HttpClient, RefreshPolicy, Redactor, ITokenSource>? CreateEntraSource { get; set; }

    public string AgentTempDirectory { get; }

    /// <summary>Another scratch directory of this job, for a tokenDir input.</summary>
    public string Scratch(string name) => _temp.Combine(name);

    public Dictionary<string, string> Environment { get; }

    /// <summary>Where the task's own files are, as the agent extracted them; by default a path that does not exist.</summary>
    public string ProgramDirectory { get; set; } = DefaultProgramDirectory;

    public Mock<IRefresherLauncher> Launcher { get; } = new(MockBehavior.Strict);

    /// <summary>Main and post share it, as they share the wall clock in a real job: the token stays unexpired between them.</summary>
    public TimerDrivenClock Clock { get; } = new();

    /// <summary>What the last step wrote, even when it threw instead of returning an exit code.</summary>
    public AgentOutput? LastOutput { get; private set; }

    public void Set(string input, string value) => Environment["INPUT_" + input.ToUpperInvariant()] = value;

    public Task<StepRun> MainAsync(CancellationToken cancellationToken) =>
        RunAsync(Environment, context => new TaskMain(context).RunAsync(cancellationToken));

    /// <summary>The post-job step, given the task variables the main step left, as the agent hands them over.</summary>
    public Task<StepRun> PostAsync(StepRun main, CancellationToken cancellationToken) =>
        PostAsync(main.Output.TaskVariables(), cancellationToken);

    public Task<StepRun> PostAsync(IReadOnlyDictionary<string, string> taskVariables, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in taskVariables)
        {
            environment[name] = value;
        }

        return RunAsync(environment, context => new TaskPost(context).RunAsync(cancellationToken));
    }

    public void Dispose() => _temp.Dispose();

    private async Task<StepRun> RunAsync(Dictionary<string, string> environment, Func<TaskContext, Task<int>> step)
    {
        using var output = new StringWriter();
        var context = new TaskContext(
            name => environment.GetValueOrDefault(name),
            output,
            Clock,
            CreateHttpClient,
            Launcher.Object)
        {
            Random = new FixedRandom(0.5),
            ProgramDirectory = ProgramDirectory,
            CreateEntraSource = CreateEntraSource,
        };
        try
        {
            return new StepRun(await step(context), new AgentOutput(output.ToString()));
        }
        finally
        {
            LastOutput = new AgentOutput(output.ToString());
        }
    }
}
