using Newtonsoft.Json.Linq;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Inputs;

namespace StudioToken.GitHub.Docker;

/// <summary>
/// Starts the refresher as a sibling container through the Engine API: same image, host network, the runner's temp
/// directory bind-mounted at the same place, labelled so the post step (or anyone) can find it. It outlives the
/// action's own container, which the runner removes (<c>--rm</c>) when the step ends.
/// Secrets never enter its configuration (<c>docker inspect</c> shows env, command and labels): they are copied into
/// the created container's file system before it starts, and the refresher deletes them once read.
/// </summary>
public static class RefresherContainer
{
    public const string Label = "studio-token.refresher";
    public const string Command = "github-refresher";

    public static async Task<string> StartAsync(DockerEngine docker, SelfContainer self, ActionSettings settings, TokenDirectoryPlacement placement, FileOwner owner, ActionContext context, CancellationToken cancellationToken)
    {
        var secrets = RefresherHandover.SecretsFor(settings, context.Environment);
        var id = await docker.CreateContainerAsync(Spec(self, settings, placement, owner, context, secrets), null, cancellationToken);
        try
        {
            await docker.PutArchiveAsync(id, Path.GetDirectoryName(RefresherHandover.Directory)!, RefresherHandover.Archive(secrets), cancellationToken);
            await docker.StartContainerAsync(id, cancellationToken);
            return id;
        }
        catch
        {
            await docker.RemoveContainerAsync(id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The container's configuration, as <c>docker inspect</c> will show it: settings and paths, never a secret.</summary>
    public static JObject Spec(SelfContainer self, ActionSettings settings, TokenDirectoryPlacement placement, FileOwner owner, ActionContext context, IEnumerable<HandedOverSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(context);
        var env = new JArray(RefresherEnvironment.For(settings.Request, placement.ContainerPath!, settings.RefreshPolicy, settings.MaxLifetime)
            .Concat(RefresherHandover.PathVariables(secrets))
            .Select(v => Variable(v.Key, v.Value)));
        env.Add(Variable("STUDIO_TOKEN_OWNER", owner.ToString()));
        foreach (var name in new[] { "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB", "RUNNER_NAME", "STUDIO_JOB_POLL_INTERVAL" })
        {
            Optional(env, name, context.Environment(name));
        }

        var runnerTemp = self.BindMounts.FirstOrDefault(m => m.ContainerPath.TrimEnd('/') == context.ContainerRunnerTemp)
            ?? throw new DockerEngineException($"the action's container has no mount at {context.ContainerRunnerTemp}");
        return new JObject
        {
            ["Image"] = self.ImageId,
            ["Cmd"] = new JArray(Command),
            ["Env"] = env,
            ["Labels"] = new JObject
            {
                [Label] = "1",
                ["studio-token.token-dir"] = placement.HostPath,
                ["studio-token.run"] = $"{context.Environment("GITHUB_REPOSITORY")}/{context.Environment("GITHUB_RUN_ID")}/{context.Environment("GITHUB_RUN_ATTEMPT")}",
            },
            ["HostConfig"] = new JObject
            {
                ["NetworkMode"] = "host",
                ["AutoRemove"] = true,
                ["Binds"] = new JArray($"{runnerTemp.HostPath}:{runnerTemp.ContainerPath}"),
                ["LogConfig"] = new JObject { ["Type"] = "json-file", ["Config"] = new JObject { ["max-size"] = "1m" } },
            },
        };
    }

    private static JValue Variable(string name, string value) => new($"{name}={value}");

    private static void Optional(JArray env, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            env.Add(Variable(name, value));
        }
    }
}
