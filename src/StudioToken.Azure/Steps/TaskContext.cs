using StudioToken.Azure.Refresher;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Entra;

namespace StudioToken.Azure.Steps;

/// <summary>What the task takes from its process: environment, output, clock, network, and how it starts its refresher. Tests give their own.</summary>
public sealed record TaskContext(Func<string, string?> Environment, TextWriter Output, TimeProvider TimeProvider, Func<HttpClient> CreateHttpClient, IRefresherLauncher Launcher)
{
    public Random Random { get; init; } = Random.Shared;

    /// <summary>The directory holding the <c>studio-token</c> later steps call (the native binary, or the portable build's launcher).</summary>
    public string ProgramDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>
    /// Entra ID's token source (MSAL), given by the composition: null in a build without it (the GitHub Action's
    /// image, where MSAL is trimmed out), and then <c>provider: entra</c> is refused.
    /// </summary>
    public Func<EntraSettings, HttpClient, RefreshPolicy, Redactor, ITokenSource>? CreateEntraSource { get; init; }
}
