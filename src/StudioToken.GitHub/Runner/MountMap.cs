namespace StudioToken.GitHub.Runner;

/// <summary>A bind mount of the action's container: a host directory seen inside at another path.</summary>
public sealed record Mount(string HostPath, string ContainerPath);

/// <summary>
/// Translates between paths inside the action's container and on the runner host, as the runner does for its own
/// variables (the most specific mount wins): files are written inside, but later steps need host paths.
/// </summary>
public sealed class MountMap(IReadOnlyList<Mount> mounts)
{
    public IReadOnlyList<Mount> Mounts => mounts;

    public string? ToHost(string containerPath) => Translate(containerPath, m => m.ContainerPath, m => m.HostPath);

    public string? ToContainer(string hostPath) => Translate(hostPath, m => m.HostPath, m => m.ContainerPath);

    private string? Translate(string path, Func<Mount, string> from, Func<Mount, string> to)
    {
        var normal = Normalize(path);
        Mount? best = null;
        foreach (var mount in mounts)
        {
            var root = Normalize(from(mount));
            if ((normal == root || normal.StartsWith(root + "/", StringComparison.Ordinal)) && (best is null || root.Length > Normalize(from(best)).Length))
            {
                best = mount;
            }
        }

        if (best is null)
        {
            return null;
        }

        var rest = normal[Normalize(from(best)).Length..];
        return Normalize(to(best)) + rest;
    }

    private static string Normalize(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
