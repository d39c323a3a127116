namespace StudioToken.Core.Storage;

/// <summary>Gives a file or directory to a <see cref="FileOwner"/> (never following a symbolic link).</summary>
public static class FileOwnership
{
    public static void Change(string path, FileOwner owner) =>
        Internal.UnixFileSystem.ChangeOwner(path, owner.UserId, owner.GroupId);
}
