using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using StudioToken.TestServer;

// Process mode for CI smoke tests and benchmarks:
//   dotnet StudioToken.TestServer.dll [--port N] [--lifetime SECONDS] [--write-client-key FILE]
// Prints one line, "listening <token url>", then serves until SIGTERM or Ctrl+C.
// --write-client-key registers a private_key_jwt client, "key-client", with a new EC P-256 key and writes its private
// key (PKCS#8 PEM, mode 0600) to FILE before listening; no key is kept in the repository.

if (!TryParse(args, out var options, out var clientKeyFile))
{
    await Console.Error.WriteLineAsync("usage: StudioToken.TestServer [--port N] [--lifetime SECONDS] [--write-client-key FILE]");
    return 2;
}

if (clientKeyFile is not null)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    WritePrivateKey(clientKeyFile, key.ExportPkcs8PrivateKeyPem());
    options = options with { Clients = [.. options.Clients, TestClient.WithPublicKeys("key-client", key.ExportSubjectPublicKeyInfoPem())] };
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

static bool TryParse(string[] args, out OpenIddictTestServerOptions options, out string? clientKeyFile)
{
    options = new OpenIddictTestServerOptions();
    clientKeyFile = null;
    for (var i = 0; i < args.Length; i += 2)
    {
        if (i + 1 >= args.Length)
        {
            return false;
        }

        if (args[i] == "--write-client-key")
        {
            clientKeyFile = args[i + 1];
            continue;
        }

        if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
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

// A private key file as tools expect one: new, owner-only from the first byte.
static void WritePrivateKey(string path, string pem)
{
    var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
    if (!OperatingSystem.IsWindows())
    {
        file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }

    using var writer = new StreamWriter(path, file);
    writer.Write(pem);
}
