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

    /// <summary>The owner of <paramref name="path"/>, through statx, whose buffer layout is the same on every architecture.</summary>
    public static unsafe (uint UserId, uint GroupId) GetOwner(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxUid = 0x8, StatxGid = 0x10;
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0)
        {
            throw new IOException($"cannot read the owner of {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }

        // struct statx: stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, stx_uid u32 (20), stx_gid u32 (24).
        return (*(uint*)(buffer + 20), *(uint*)(buffer + 24));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
