using System.ComponentModel;
using System.Runtime.InteropServices;

namespace StudioToken.Core.Internal;

/// <summary>The few POSIX calls .NET does not expose: chown, and fsync of a directory so a rename survives a crash.</summary>
internal static partial class UnixFileSystem
{
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000; // O_DIRECTORY on Linux x64/arm64
    private const int OpenCloseOnExec = 0x80000;

    public static void ChangeOwner(string path, uint userId, uint groupId)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // lchown: never follow a symlink planted where our file should be.
        if (LChown(path, userId, groupId) != 0)
        {
            throw new IOException($"cannot give {path} to {userId}:{groupId}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    /// <summary>Best effort: some file systems refuse fsync on directories, and the rename itself is already atomic.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, OpenReadOnly | OpenDirectory | OpenCloseOnExec);
        if (fd < 0)
        {
            return;
        }

        _ = FSync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
