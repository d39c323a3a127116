using System.Globalization;

namespace StudioToken.Core.Storage;

/// <summary>A Unix owner for the token files, so a root process (the action's container) can hand them to the job's user.</summary>
public readonly record struct FileOwner(uint UserId, uint GroupId)
{
    /// <summary>Parses <c>uid:gid</c> or <c>uid</c> (group = uid).</summary>
    public static bool TryParse(string? text, out FileOwner owner)
    {
        owner = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split(':');
        if (parts.Length > 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return false;
        }

        var gid = uid;
        if (parts.Length == 2 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
        {
            return false;
        }

        owner = new FileOwner(uid, gid);
        return true;
    }

    /// <summary>Who owns <paramref name="path"/> (Linux), e.g. the runner's temp directory whose user runs the later steps.</summary>
    public static FileOwner Of(string path)
    {
        var (uid, gid) = Internal.UnixFileSystem.GetOwner(path);
        return new FileOwner(uid, gid);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UserId}:{GroupId}");
}
