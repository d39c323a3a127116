using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StudioToken.TestServer;

/// <summary>The Entra stand-in as a process of its own, for the smoke test of the NativeAOT binary.</summary>
internal static class EntraStandInProcess
{
    /// <summary>A test value known to the smoke script, as the OpenIddict clients' secrets are.</summary>
    public const string ClientSecret = "entra-secret-1";

    public static async Task<int> RunAsync(string directory, string[] args)
    {
        var options = new EntraStandInOptions { ClientSecret = ClientSecret };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return Usage();
            }

            switch (args[i])
            {
                case "--port" when value <= 65535:
                    options = options with { Port = value };
                    break;
                case "--lifetime" when value > 0:
                    options = options with { ExpiresIn = value };
                    break;
                default:
                    return Usage();
            }
        }

        using var stop = new ProcessStopSignal();
        await using var standIn = await EntraStandIn.StartAsync(options);
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.pem"), standIn.ServerCertificatePem());
        WriteClientCertificate(Path.Combine(directory, "client-certificate.pem"));
        await ProcessStopSignal.AnnounceAsync(standIn.AuthorityHost);
        await stop.Requested;
        return 0;
    }

    /// <summary>What one would upload to an app registration, with its key; the stand-in does not check assertions.</summary>
    private static void WriteClientCertificate(string path)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=studio-token-smoke", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, file);
        writer.Write(certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: StudioToken.TestServer --entra DIR [--port N] [--lifetime SECONDS]");
        return 2;
    }
}
