namespace StudioToken.GitHub.Action;

/// <summary>What the action takes from its process: environment, output, clock, network. Tests give their own.</summary>
public sealed record ActionContext(Func<string, string?> Environment, TextWriter Output, TimeProvider TimeProvider, Func<HttpClient> CreateHttpClient)
{
    /// <summary>The Docker socket the runner mounts into every container action.</summary>
    public string DockerSocket { get; init; } = Docker.DockerEngine.DefaultSocket;

    /// <summary>Where the runner mounts its temp directory inside the action's container.</summary>
    public string ContainerRunnerTemp { get; init; } = "/github/runner_temp";

    public Random Random { get; init; } = Random.Shared;

    public string Required(string name) =>
        Environment(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set; is this running as a GitHub Actions step?");
}
