using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StudioToken.Cli.Processes;

/// <summary>Asks a child to stop the polite way (SIGTERM), which <see cref="Process.Kill()"/> cannot do.</summary>
internal static partial class ChildProcessSignals
{
    private const int SigTerm = 15;

    public static void Terminate(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows() || Kill(process.Id, SigTerm) != 0)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
