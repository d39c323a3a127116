using System.Runtime.InteropServices;

namespace StudioToken.Bench;

/// <summary>The two libc calls the harness needs: children's CPU time, and SIGTERM without starting another process.</summary>
internal static class NativeMethods
{
    public const int SigTerm = 15;

    private const int RusageChildren = -1;

    /// <summary>
    /// User + system CPU time, in ms, of all children that have exited and been waited for. Sampled before and after
    /// one run (under <see cref="ChildProcess.Gate"/>, so no other child is reaped in between), the difference is
    /// that run's CPU time.
    /// </summary>
    public static double ChildrenCpuMilliseconds()
    {
        if (getrusage(RusageChildren, out var usage) != 0)
        {
            throw new BenchmarkFailedException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return Milliseconds(usage.User) + Milliseconds(usage.System);
    }

    public static void Terminate(int pid)
    {
        if (kill(pid, SigTerm) != 0)
        {
            throw new BenchmarkFailedException($"kill({pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static double Milliseconds(TimeValue value) => (value.Seconds * 1000.0) + (value.Microseconds / 1000.0);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out ResourceUsage usage);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals and fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public TimeValue User;
        public TimeValue System;
        public long MaxResidentSetKiB;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
