using Newtonsoft.Json.Linq;
using StudioToken.GitHub.Runner;

namespace StudioToken.GitHub.Docker;

/// <summary>
/// The action's own container, as the engine sees it: the image it runs (so the refresher runs the very same one)
/// and its bind mounts (so container paths can be turned into host paths). The runner sets no --hostname, so
/// HOSTNAME is the container's short id.
/// </summary>
public sealed record SelfContainer(string ContainerId, string ImageId, IReadOnlyList<Mount> BindMounts)
{
    public static async Task<SelfContainer?> InspectAsync(DockerEngine docker, string? hostname, CancellationToken cancellationToken)
    {
        var json = string.IsNullOrEmpty(hostname) ? null : await docker.InspectContainerAsync(hostname, cancellationToken);

        // With --network host the hostname is the host's; the engine's own files mounted into every container
        // (/etc/hostname, /etc/resolv.conf) name the container's id in /proc/self/mountinfo.
        if (json is null && IdFromMountInfo() is { } id)
        {
            json = await docker.InspectContainerAsync(id, cancellationToken);
        }

        if (json is null)
        {
            return null;
        }

        var mounts = (json["Mounts"] as JArray ?? [])
            .OfType<JObject>()
            .Where(m => (string?)m["Type"] is "bind" or null)
            .Select(m => new Mount((string?)m["Source"] ?? string.Empty, (string?)m["Destination"] ?? string.Empty))
            .Where(m => m.HostPath.Length > 0 && m.ContainerPath.Length > 0)
            .ToList();
        return new SelfContainer((string?)json["Id"] ?? throw new DockerEngineException("inspect container: no Id"), (string?)json["Image"] ?? throw new DockerEngineException("inspect container: no Image"), mounts);
    }

    internal static string? IdFromMountInfo(string path = "/proc/self/mountinfo")
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(path), "/containers/([0-9a-f]{64})/", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }
}
