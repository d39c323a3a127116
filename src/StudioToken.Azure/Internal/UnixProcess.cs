using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace StudioToken.Azure.Internal;

/// <summary>The POSIX calls .NET does not expose: leave the task's session, point standard streams at a file, send SIGTERM.</summary>
[UnsupportedOSPlatform("windows")]
internal static partial class UnixProcess
{
    private const int SignalTerminate = 15;

    /// <summary>A session of its own, so nothing sent to the task's process group reaches the refresher.</summary>
    public static void StartSession() => _ = SetSession();

    /// <summary>Standard output and error now write to <paramref name="file"/>; the task's pipes are let go.</summary>
    public static void RedirectStandardStreams(SafeHandle file)
    {
        var fd = (int)file.DangerousGetHandle();
        if (DuplicateTo(fd, 1) < 0 || DuplicateTo(fd, 2) < 0)
        {
            throw new IOException($"cannot redirect standard streams: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    /// <summary>Sends SIGTERM; false when there is no such process.</summary>
    public static bool Terminate(int processId) => Kill(processId, SignalTerminate) == 0;

    /// <summary>Whether the process has ended (or is a zombie nobody reaped, which is as ended as it gets).</summary>
    public static bool HasEnded(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{processId}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is 'Z' or 'X';
            }
            catch (IOException)
            {
                return true;
            }
        }

        return Kill(processId, 0) != 0;
    }

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSession();

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int DuplicateTo(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
