using System.Runtime.InteropServices;

namespace StudioToken.TestServer;

/// <summary>Process mode: completes on SIGTERM or Ctrl+C, so the server shuts down cleanly instead of being killed mid-request.</summary>
internal sealed class ProcessStopSignal : IDisposable
{
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;

    public ProcessStopSignal()
    {
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
    }

    public Task Requested => _requested.Task;

    /// <summary>The one line scripts wait for, flushed so a pipe reader sees it now, not at exit.</summary>
    public static async Task AnnounceAsync(Uri url)
    {
        await Console.Out.WriteLineAsync($"listening {url}");
        await Console.Out.FlushAsync();
    }

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
    }

    private void RequestStop(PosixSignalContext signal)
    {
        signal.Cancel = true;
        _requested.TrySetResult();
    }
}
