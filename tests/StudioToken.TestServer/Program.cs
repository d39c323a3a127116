using System.Globalization;
using System.Runtime.InteropServices;
using StudioToken.TestServer;

// Process mode for CI smoke tests and benchmarks:
//   dotnet StudioToken.TestServer.dll [--port N] [--lifetime SECONDS]
// Prints one line, "listening <token url>", then serves until SIGTERM or Ctrl+C.

if (!TryParse(args, out var options))
{
    await Console.Error.WriteLineAsync("usage: StudioToken.TestServer [--port N] [--lifetime SECONDS]");
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void RequestStop(PosixSignalContext signal)
{
    // Shut down cleanly instead of letting the runtime kill the process mid-request.
    signal.Cancel = true;
    stop.TrySetResult();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);

await using var server = await OpenIddictTestServer.StartAsync(options);
// Scripts wait for this exact line; flush so a pipe reader sees it now, not at exit.
await Console.Out.WriteLineAsync($"listening {server.TokenUrl}");
await Console.Out.FlushAsync();
await stop.Task;
return 0;

static bool TryParse(string[] args, out OpenIddictTestServerOptions options)
{
    options = new OpenIddictTestServerOptions();
    for (var i = 0; i < args.Length; i += 2)
    {
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        switch (args[i])
        {
            case "--port" when value <= 65535:
                options = options with { Port = value };
                break;
            case "--lifetime" when value > 0:
                options = options with { AccessTokenLifetime = TimeSpan.FromSeconds(value) };
                break;
            default:
                return false;
        }
    }

    return true;
}
