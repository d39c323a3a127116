using System.Globalization;
using System.Security.Cryptography;
using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

// Process mode for CI smoke tests and benchmarks:
//   dotnet StudioToken.TestServer.dll [--port N] [--lifetime SECONDS] [--write-client-key FILE] [--federation FILE]
// Prints one line, "listening <token url>", then serves until SIGTERM or Ctrl+C.
// --write-client-key registers a private_key_jwt client, "key-client", with a new EC P-256 key and writes its private
// key (PKCS#8 PEM, mode 0600) to FILE before listening; no key is kept in the repository.
// --federation also starts a local ID-token issuer standing in for GitHub Actions and Azure Pipelines, registers
// clients that trust it ("github-client", "azure-client", "github-exchange-client"), and writes to FILE (mode 0600)
// the shell exports a job would have: ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN
// and STUDIO_AZURE_SERVICE_CONNECTION_ID.
//   dotnet StudioToken.TestServer.dll --entra DIR [--port N] [--lifetime SECONDS]
// starts the Entra stand-in (HTTPS) instead, writes its self-signed certificate to DIR/ca.pem (for SSL_CERT_FILE) and
// a new client certificate with its key to DIR/client-certificate.pem (mode 0600), and prints "listening <authority
// host>". It takes the client secret EntraStandInProcess.ClientSecret, any other is invalid_client.

if (args.Length >= 2 && args[0] == "--entra")
{
    return await EntraStandInProcess.RunAsync(args[1], args[2..]);
}

if (!TryParse(args, out var options, out var clientKeyFile, out var federationFile))
{
    await Console.Error.WriteLineAsync("usage: StudioToken.TestServer [--port N] [--lifetime SECONDS] [--write-client-key FILE] [--federation FILE] | --entra DIR [--port N] [--lifetime SECONDS]");
    return 2;
}

if (clientKeyFile is not null)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    WritePrivateFile(clientKeyFile, key.ExportPkcs8PrivateKeyPem());
    options = options with { Clients = [.. options.Clients, TestClient.WithPublicKeys("key-client", key.ExportSubjectPublicKeyInfoPem())] };
}

using var stop = new ProcessStopSignal();
await using var issuer = federationFile is null ? null : await IdTokenIssuer.StartAsync();
if (issuer is not null)
{
    options = options with
    {
        Clients =
        [
            .. options.Clients,
            TestClient.Federated("github-client", issuer.GitHubCredential()),
            TestClient.Federated("azure-client", issuer.AzureCredential()),
            TestClient.FederatedExchange("github-exchange-client", issuer.GitHubCredential()),
        ],
    };
    WritePrivateFile(federationFile!, string.Join('\n',
        $"export ACTIONS_ID_TOKEN_REQUEST_URL='{issuer.GitHubRequestUrl.AbsoluteUri}'",
        $"export ACTIONS_ID_TOKEN_REQUEST_TOKEN='{issuer.GitHubRequestToken}'",
        $"export SYSTEM_OIDCREQUESTURI='{issuer.AzureOidcRequestUri.AbsoluteUri}'",
        $"export SYSTEM_ACCESSTOKEN='{issuer.AzureAccessToken}'",
        $"export STUDIO_AZURE_SERVICE_CONNECTION_ID='{issuer.AzureServiceConnectionId}'",
        string.Empty));
}

await using var server = await OpenIddictTestServer.StartAsync(options);
await ProcessStopSignal.AnnounceAsync(server.TokenUrl);
await stop.Requested;
return 0;

static bool TryParse(string[] args, out OpenIddictTestServerOptions options, out string? clientKeyFile, out string? federationFile)
{
    options = new OpenIddictTestServerOptions();
    clientKeyFile = null;
    federationFile = null;
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

        if (args[i] == "--federation")
        {
            federationFile = args[i + 1];
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

// A private file (key, credentials) as tools expect one: new, owner-only from the first byte.
static void WritePrivateFile(string path, string text)
{
    var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
    if (!OperatingSystem.IsWindows())
    {
        file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }

    using var writer = new StreamWriter(path, file);
    writer.Write(text);
}
