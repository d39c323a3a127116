using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace StudioToken.TestServer;

/// <summary>One request that reached the stand-in, whatever its path.</summary>
public sealed record EntraStandInRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsTokenRequest => Method == "POST" && Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal);
}

/// <summary>A scripted answer to the next token request.</summary>
public sealed record EntraStandInAnswer(int Status, string Body, string? RetryAfter = null)
{
    public static EntraStandInAnswer Error(int status, string error, string description, string? retryAfter = null) =>
        new(status, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description + "\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nCorrelation ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: 2026-01-01 00:00:00Z",
            ["error_codes"] = new[] { int.Parse(description.AsSpan(6, description.IndexOf(':', StringComparison.Ordinal) - 6), CultureInfo.InvariantCulture) },
        }), retryAfter);
}

/// <summary>
/// Stands in for Entra ID's token endpoint (<c>/{tenant}/oauth2/v2.0/token</c>) over HTTPS on 127.0.0.1, since MSAL
/// refuses http:// authorities. Its certificate is a throwaway self-signed one, for 127.0.0.1 and the hosts asked for,
/// that clients trust by name (<see cref="CreateTrustingHandler"/>, or <c>SSL_CERT_FILE</c> for a process). It records
/// every request, answers token requests from a script, and else issues a token; it serves the tenant's v2.0 OpenID
/// configuration; a request on any other path gets 404, and the test sees it in <see cref="Requests"/>.
/// </summary>
public sealed class EntraStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EntraStandInRequest> _requests = new();
    private readonly ConcurrentQueue<EntraStandInAnswer> _script = new();
    private readonly EntraStandInOptions _options;
    private int _issued;

    private EntraStandIn(WebApplication app, EntraStandInOptions options, X509Certificate2 certificate)
    {
        _app = app;
        _options = options;
        ServerCertificate = certificate;
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>: what <c>--authority-host</c> is set to.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Every request in arrival order.</summary>
    public IReadOnlyList<EntraStandInRequest> Requests => [.. _requests];

    public IReadOnlyList<EntraStandInRequest> TokenRequests => [.. _requests.Where(r => r.IsTokenRequest)];

    /// <summary>Signalled at every token request, so a test can wait for one MSAL sends in the background without sleeping.</summary>
    public event Action<EntraStandInRequest>? TokenRequested;

    /// <summary>Answers the next token request with <paramref name="answer"/> instead of a token.</summary>
    public void Enqueue(EntraStandInAnswer answer) => _script.Enqueue(answer);

    /// <summary>A handler that trusts exactly this server's certificate, and no other.</summary>
    public SocketsHttpHandler CreateTrustingHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == ServerCertificate.GetCertHashString(HashAlgorithmName.SHA256),
        },
    };

    public static async Task<EntraStandIn> StartAsync(EntraStandInOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EntraStandInOptions();
        var certificate = CreateServerCertificate(options.HostNames);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificate)));
        builder.Services.AddSingleton<IHostLifetime, InertHostLifetime>();
        var app = builder.Build();
        var standIn = new EntraStandIn(app, options, certificate);
        app.Run(standIn.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var port = new Uri(app.Urls.Single()).Port;
        standIn.AuthorityHost = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        return standIn;
    }

    /// <summary>The server certificate as PEM, for <c>SSL_CERT_FILE</c> in process mode.</summary>
    public string ServerCertificatePem() => ServerCertificate.ExportCertificatePem();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        ServerCertificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            foreach (var (name, value) in await context.Request.ReadFormAsync(context.RequestAborted))
            {
                form[name] = value.ToString();
            }
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new EntraStandInRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, form, headers);
        _requests.Enqueue(request);
        if (MetadataTenant(request) is { } tenant)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(Metadata(tenant), context.RequestAborted);
            return;
        }

        if (!request.IsTokenRequest)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        TokenRequested?.Invoke(request);
        var answer = _script.TryDequeue(out var scripted) ? scripted : Check(form) ?? Issue();
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    /// <summary>The tenant of a request for Entra's v2.0 OpenID configuration, <c>GET /{tenant}/v2.0/.well-known/openid-configuration</c>.</summary>
    private static string? MetadataTenant(EntraStandInRequest request)
    {
        const string suffix = "/v2.0/.well-known/openid-configuration";
        return request.Method == "GET" && request.Path.EndsWith(suffix, StringComparison.Ordinal) && request.Path.Count(c => c == '/') == 4
            ? request.Path[1..^suffix.Length]
            : null;
    }

    /// <summary>
    /// The parts of Entra's v2.0 document a client-credentials client reads (as login.microsoftonline.com publishes
    /// it): the issuer, the tenant's token endpoint, the three client authentication methods, and no revocation endpoint.
    /// </summary>
    private string Metadata(string tenant) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = new Uri(AuthorityHost, $"{tenant}/v2.0").AbsoluteUri,
        ["token_endpoint"] = new Uri(AuthorityHost, $"{tenant}/oauth2/v2.0/token").AbsoluteUri,
        ["authorization_endpoint"] = new Uri(AuthorityHost, $"{tenant}/oauth2/v2.0/authorize").AbsoluteUri,
        ["jwks_uri"] = new Uri(AuthorityHost, $"{tenant}/discovery/v2.0/keys").AbsoluteUri,
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
        ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
    });

    /// <summary>What Entra refuses before issuing, as far as the stand-in was told what to expect.</summary>
    private EntraStandInAnswer? Check(Dictionary<string, string> form)
    {
        if (_options.ClientSecret is { } secret && form.TryGetValue("client_secret", out var sent) && sent != secret)
        {
            return EntraStandInAnswer.Error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
        }

        return null;
    }

    private EntraStandInAnswer Issue()
    {
        var number = Interlocked.Increment(ref _issued);
        var token = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = _options.ExpiresIn,
            ["ext_expires_in"] = _options.ExpiresIn,
            ["access_token"] = $"entra-token-{number.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
        };
        if (_options.RefreshIn is { } refreshIn)
        {
            token["refresh_in"] = refreshIn;
        }

        return new EntraStandInAnswer(200, JsonSerializer.Serialize(token));
    }

    private static X509Certificate2 CreateServerCertificate(IReadOnlyList<string> hostNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=entra-stand-in", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var host in hostNames)
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());

        // A CA of itself, so OpenSSL accepts it as the only root when a process is pointed at it with SSL_CERT_FILE.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Kestrel on Linux wants the key exportable through a PKCS#12 round trip, not the ephemeral one of CreateSelfSigned.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>How to start an <see cref="EntraStandIn"/>.</summary>
public sealed record EntraStandInOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Host names the certificate is valid for besides 127.0.0.1.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = ["localhost"];

    /// <summary>The <c>expires_in</c> of issued tokens; Entra's are about an hour.</summary>
    public long ExpiresIn { get; init; } = 3599;

    /// <summary>The <c>refresh_in</c> Entra adds to long-lived tokens; null sends none.</summary>
    public long? RefreshIn { get; init; }

    /// <summary>When set, a <c>client_secret</c> other than this one gets Entra's invalid_client answer.</summary>
    public string? ClientSecret { get; init; }
}
