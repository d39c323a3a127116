using System.Formats.Tar;
using System.Text;
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
    public const string SecretsDirectory = "/run/studio-token";
    public const string Command = "github-refresher";

    public static async Task<string> StartAsync(DockerEngine docker, SelfContainer self, ActionSettings settings, TokenDirectoryPlacement placement, FileOwner owner, ActionContext context, CancellationToken cancellationToken)
    {
        var env = new JArray(RefresherEnvironment.For(settings.Request, placement.ContainerPath!, settings.RefreshPolicy, settings.MaxLifetime).Select(v => Variable(v.Key, v.Value)));
        env.Add(Variable("STUDIO_TOKEN_OWNER", owner.ToString()));
        env.Add(Variable("STUDIO_CLIENT_SECRET_FILE", SecretsDirectory + "/client-secret"));
        if (settings.GitHubToken is not null)
        {
            env.Add(Variable("STUDIO_GITHUB_TOKEN_FILE", SecretsDirectory + "/github-token"));
        }

        foreach (var name in new[] { "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB", "RUNNER_NAME", "STUDIO_JOB_POLL_INTERVAL" })
        {
            Optional(env, name, context.Environment(name));
        }

        var runnerTemp = self.BindMounts.FirstOrDefault(m => m.ContainerPath.TrimEnd('/') == context.ContainerRunnerTemp)
            ?? throw new DockerEngineException($"the action's container has no mount at {context.ContainerRunnerTemp}");
        var spec = new JObject
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

        var id = await docker.CreateContainerAsync(spec, null, cancellationToken);
        try
        {
            await docker.PutArchiveAsync(id, "/run", SecretsArchive(settings), cancellationToken);
            await docker.StartContainerAsync(id, cancellationToken);
            return id;
        }
        catch
        {
            await docker.RemoveContainerAsync(id, CancellationToken.None);
            throw;
        }
    }

    private static byte[] SecretsArchive(ActionSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "studio-token/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute });
            Add(tar, "studio-token/client-secret", (settings.Request.ClientSecret ?? throw new InvalidOperationException("the action's inputs always carry a client secret")).Reveal());
            if (settings.GitHubToken is { } github)
            {
                Add(tar, "studio-token/github-token", github.Reveal());
            }
        }

        return buffer.ToArray();
    }

    private static void Add(TarWriter tar, string name, string value)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(value)),
        };
        tar.WriteEntry(entry);
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
