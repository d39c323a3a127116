using StudioToken.Azure.Agent;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Steps;

namespace StudioToken.Cli.Commands;

/// <summary>
/// The Azure Pipelines task's entry points: its Node shim runs <c>studio-token azure-main</c> and
/// <c>studio-token azure-post</c> with the agent's environment; the main step starts
/// <c>studio-token azure-refresher</c> in the background, which is <c>refresh --resume</c> with its secret on standard
/// input (<see cref="RefresherHandOver"/>) and its standard streams on a log file.
/// </summary>
internal static class AzureTaskEntry
{
    public const string MainVerb = "azure-main";
    public const string PostVerb = "azure-post";

    public static bool IsStep(string[] args) => args is [MainVerb] or [PostVerb];

    public static bool IsRefresher(string[] args) => args is [RefresherProcess.Verb];

    /// <summary>An unexpected failure is one issue on the timeline, not a stack trace; the post-job step never fails the job.</summary>
    public static async Task<int> RunStepAsync(string verb, CancellationToken cancellationToken)
    {
        var main = verb == MainVerb;
        var context = new TaskContext(Environment.GetEnvironmentVariable, Console.Out, TimeProvider.System, () => Core.OAuth.TokenClient.CreateHttpClient(), new RefresherProcess(TimeProvider.System))
        {
            // Only where the build carries Entra ID: the action image's binary trims MSAL out, and refuses provider entra.
            CreateEntraSource = Settings.EntraFeature.IsSupported
                ? (settings, http, refreshPolicy, redactor) => new Entra.EntraTokenSource(settings, http, TimeProvider.System, refreshPolicy, Random.Shared, redactor)
                : null,
        };
        try
        {
            return main
                ? await new TaskMain(context).RunAsync(cancellationToken)
                : await new TaskPost(context).RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException or System.ComponentModel.Win32Exception or ArgumentException)
        {
            Console.Out.WriteLine(LoggingCommands.LogIssue(main ? "error" : "warning", main ? $"studio-token: failed: {ex.Message}" : $"studio-token: cleanup failed: {ex.Message}"));
            return main ? ExitCodes.Usage : ExitCodes.Ok;
        }
    }

    /// <summary>
    /// The refresher: <c>refresh --resume</c> with everything from <c>STUDIO_*</c>, but its secret read from standard
    /// input and answered from memory where the settings would read that variable.
    /// </summary>
    public static Task<int> RunRefresherAsync(Func<CliContext> contextOfProcess)
    {
        if (Environment.GetEnvironmentVariable(RefresherProcess.LogVariable) is { Length: > 0 } logFile)
        {
            RefresherProcess.Detach(logFile);
        }

        // Only now: the context's standard streams are those Detach pointed at the log.
        var context = contextOfProcess();
        IReadOnlyDictionary<string, Core.Security.Secret> secrets;
        try
        {
            secrets = RefresherHandOver.Read(context.Input);
        }
        catch (FormatException ex)
        {
            context.Error.WriteLine($"studio-token: {ex.Message}");
            return Task.FromResult(ExitCodes.Usage);
        }

        var withSecrets = context with
        {
            GetEnvironmentVariable = name => secrets.TryGetValue(name, out var secret) ? secret.Reveal() : context.GetEnvironmentVariable(name),
            Input = TextReader.Null,
        };
        return CliApplication.RunAsync(["refresh", "--resume"], withSecrets);
    }
}
