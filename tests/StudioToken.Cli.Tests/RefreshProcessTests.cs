using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StudioToken.Cli.Tests;

/// <summary><c>studio-token refresh</c> as a real process: how it stops, and that it leaves nothing behind.</summary>
[Platform("Linux")]
[Category("EndToEnd")]
[CancelAfter(60_000)]
public sealed partial class RefreshProcessTests : EndpointFixture
{
    private static readonly string CliAssembly = Path.Combine(AppContext.BaseDirectory, "studio-token.dll");

    [Test]
    public async Task Stops_on_SIGTERM_with_exit_0(CancellationToken cancellationToken)
    {
        var directory = NewTempDirectory();
        using var refresher = await StartAsync(directory, cancellationToken);

        Assert.That(Kill(refresher.Process.Id, 15), Is.Zero);
        await refresher.Process.WaitForExitAsync(cancellationToken);

        Assert.That(refresher.Process.ExitCode, Is.Zero);
        Assert.That(await refresher.ErrorAsync(), Does.Contain("stopped (told to stop)"));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Stops_by_itself_when_its_directory_is_deleted(CancellationToken cancellationToken)
    {
        var directory = NewTempDirectory();
        using var refresher = await StartAsync(directory, cancellationToken);

        Directory.Delete(directory, recursive: true);
        await refresher.Process.WaitForExitAsync(cancellationToken);

        Assert.That(refresher.Process.ExitCode, Is.Zero);
        Assert.That(await refresher.ErrorAsync(), Does.Contain("stopped (token directory deleted)"));
        Assert.That(Directory.Exists(directory), Is.False, "the refresher must not recreate a deleted directory");
    }

    private async Task<RunningRefresher> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { CliAssembly, "refresh", "--token-dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var error = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            error.AppendLine(line);
            if (line.Contains("wrote generation 1", StringComparison.Ordinal))
            {
                return new RunningRefresher(process, error);
            }
        }

        Assert.Fail($"refresh ended before writing a token: {error}");
        throw new InvalidOperationException();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    private sealed class RunningRefresher(Process process, System.Text.StringBuilder error) : IDisposable
    {
        public Process Process => process;

        public async Task<string> ErrorAsync() => error + await process.StandardError.ReadToEndAsync();

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
