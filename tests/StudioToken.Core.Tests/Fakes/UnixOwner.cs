using System.Diagnostics;

namespace StudioToken.Core.Tests.Fakes;

/// <summary>Reads a file's owner the way a user would check it, with <c>stat</c>.</summary>
internal static class UnixOwner
{
    public static string Of(string path)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%u:%g", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"stat failed: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    public static void RequireRoot()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("needs root to give files to another user (CI runs the tests as root)");
        }
    }
}
