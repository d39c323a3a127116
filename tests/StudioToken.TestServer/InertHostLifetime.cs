namespace StudioToken.TestServer;

// The default console lifetime hooks SIGTERM/Ctrl+C; a server embedded in a test host must not take over the
// host's signals, so process mode handles them in Program instead.
internal sealed class InertHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
