using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StudioToken.Bench;

/// <summary>
/// A TLS terminator on 127.0.0.1 in front of the (plain http) test server, so that a refresher can be measured the way
/// it runs against a real endpoint: with OpenSSL loaded and a full CA bundle parsed. The certificate is self-signed
/// and made here; <see cref="CaBundle"/> is the system CA bundle plus that certificate, for <c>SSL_CERT_FILE</c>.
/// </summary>
internal sealed class TlsFrontend : IAsyncDisposable
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly int _backendPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TlsFrontend(TcpListener listener, X509Certificate2 certificate, int backendPort, Uri tokenUrl, string caBundle)
    {
        _listener = listener;
        _certificate = certificate;
        _backendPort = backendPort;
        TokenUrl = tokenUrl;
        CaBundle = caBundle;
        _accepting = AcceptAsync();
    }

    public Uri TokenUrl { get; }

    public string CaBundle { get; }

    public static TlsFrontend Start(Uri backend, string directory)
    {
        var certificate = CreateCertificate();
        var caBundle = Path.Combine(directory, "ca-bundle.pem");
        var system = File.Exists(SystemBundle) ? File.ReadAllText(SystemBundle) : string.Empty;
        File.WriteAllText(caBundle, system + Environment.NewLine + certificate.ExportCertificatePem() + Environment.NewLine);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var tokenUrl = new UriBuilder(backend) { Scheme = Uri.UriSchemeHttps, Port = port }.Uri;
        return new TlsFrontend(listener, certificate, backend.Port, tokenUrl, caBundle);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _listener.Dispose();
        _certificate.Dispose();
        _stop.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var backend = new TcpClient();
                await backend.ConnectAsync(IPAddress.Loopback, _backendPort, _stop.Token);
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                var plain = backend.GetStream();
                // Either side closing ends the connection.
                await Task.WhenAny(tls.CopyToAsync(plain, _stop.Token), plain.CopyToAsync(tls, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException)
            {
                // A client that went away; nothing to report.
            }
        }
    }
}
