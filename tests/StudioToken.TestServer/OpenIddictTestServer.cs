using System.Net;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StudioToken.TestServer.Federation;

namespace StudioToken.TestServer;

/// <summary>A real OpenIddict client-credentials server on loopback, with the Studio API's endpoint paths.</summary>
public sealed class OpenIddictTestServer : IAsyncDisposable
{
    internal const string TokenPath = "api/v2/oauth/token";
    internal const string IntrospectionPath = "api/v2/oauth/introspect";
    internal const string RevocationPath = "api/v2/oauth/revoke";

    private readonly WebApplication _app;
    private readonly TokenRequestCounter _tokenRequests;

    private OpenIddictTestServer(WebApplication app, TokenRequestCounter tokenRequests, Uri baseUrl)
    {
        _app = app;
        _tokenRequests = tokenRequests;
        BaseUrl = baseUrl;
    }

    /// <summary>The server root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>
    /// The issuer OpenIddict names itself (none is set, so it is the base URL requests arrive at): the <c>aud</c> it
    /// wants in client assertions, where it refuses the token endpoint URL.
    /// </summary>
    public Uri Issuer => BaseUrl;

    /// <summary>The token endpoint.</summary>
    public Uri TokenUrl => new(BaseUrl, TokenPath);

    /// <summary>The RFC 7662 introspection endpoint.</summary>
    public Uri IntrospectionUrl => new(BaseUrl, IntrospectionPath);

    /// <summary>The RFC 7009 revocation endpoint.</summary>
    public Uri RevocationUrl => new(BaseUrl, RevocationPath);

    /// <summary>
    /// Asks the server whether a token is active (RFC 7662), authenticated with <paramref name="client"/>'s secret
    /// (OpenIddict answers a secret client about any client's token).
    /// </summary>
    public async Task<bool> IsActiveAsync(string token, TestClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, IntrospectionUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        var pair = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret)}";
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair)));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"introspection answered {(int)response.StatusCode}: {body}");
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("active").GetBoolean();
    }

    /// <summary>Requests that reached the token endpoint, including rejected ones.</summary>
    public int TokenRequestCount => _tokenRequests.Count;

    /// <summary>Every access token issued by token exchange so far, oldest first, with the subject token it was for.</summary>
    public IReadOnlyList<TokenExchange> TokenExchanges => _app.Services.GetRequiredService<TokenLedger>().Exchanges;

    /// <summary>Every token revoked so far (the revocation answered with success), oldest first.</summary>
    public IReadOnlyList<string> RevokedTokens => _app.Services.GetRequiredService<TokenLedger>().Revoked;

    /// <summary>Starts the server and returns once it is listening.</summary>
    public static async Task<OpenIddictTestServer> StartAsync(OpenIddictTestServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var builder = LoopbackWebHost.CreateBuilder(options.Port);
        builder.Services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new InMemoryKeyRepository());
        ConfigureLogging(builder.Logging);
        ConfigureOpenIddict(builder.Services, options.AccessTokenLifetime);

        var tokenRequests = new TokenRequestCounter();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/" + TokenPath, StringComparison.Ordinal))
            {
                tokenRequests.Increment();
            }

            return next(context);
        });
        app.UseAuthentication();
        app.MapPost(TokenPath, TokenEndpoint.IssueAsync);

        try
        {
            await TestClientRegistration.RegisterAsync(app.Services, options.Clients, ct);
            await app.StartAsync(ct);
            return new OpenIddictTestServer(app, tokenRequests, LoopbackWebHost.ListeningUrl(app));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Registers one more client while the server runs, for fixtures whose clients depend on something started after
    /// the server (a federated client needs its issuer's URL).
    /// </summary>
    public Task RegisterClientAsync(TestClient client, CancellationToken cancellationToken = default) =>
        TestClientRegistration.RegisterAsync(_app.Services, [client], cancellationToken);

    /// <summary>Stops the server; its keys and tokens are gone for good.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Warning and up only: OpenIddict logs every request at Information, and nothing here may print a secret or token.
    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Warning);
        // Its "key not encrypted at rest" warning is moot for a key ring that only ever lives in memory.
        logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // stdout belongs to process mode's single "listening" line.
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console => console.SingleLine = true);
    }

    private static void ConfigureOpenIddict(IServiceCollection services, TimeSpan accessTokenLifetime)
    {
        var databaseName = $"openiddict-{Guid.NewGuid():N}";
        services.AddDbContext<TestServerDbContext>(db => db
            .UseInMemoryDatabase(databaseName)
            // OpenIddict wraps some store operations in transactions, which the in-memory provider can only ignore.
            .ConfigureWarnings(warnings => warnings.Ignore(InMemoryEventId.TransactionIgnoredWarning))
            .UseOpenIddict());

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<TestServerDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath)
                    .SetIntrospectionEndpointUris(IntrospectionPath)
                    .SetRevocationEndpointUris(RevocationPath);
                server.AllowClientCredentialsFlow();
                server.AddFederationTrust();
                TokenLedger.Keep(server);
                server.RegisterScopes(TestScopes.Script, TestScopes.Read);
                // The token endpoint checks scope permissions itself, to answer invalid_scope.
                server.IgnoreScopePermissions();
                // New keys at every start: no key material on disk, and tokens from an earlier run never validate.
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // Plain signed JWTs, so tests can read the claims they were issued.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(accessTokenLifetime);
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableTokenEndpointPassthrough();
            });
    }
}
