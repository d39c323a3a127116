using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.TestServer;

namespace StudioToken.Entra.Tests;

/// <summary>A stand-in for Entra and what a test needs to point an <see cref="EntraTokenSource"/> at it.</summary>
internal sealed class EntraFixture : IAsyncDisposable
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly HttpClient _http;

    private EntraFixture(EntraStandIn standIn)
    {
        StandIn = standIn;
        _http = TokenClient.CreateHttpClient(standIn.CreateTrustingHandler());
    }

    public EntraStandIn StandIn { get; }

    /// <summary>Starts at the wall clock's now, since MSAL times its cache by the wall clock.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public Redactor Redactor { get; } = new();

    /// <summary>A client id of its own per fixture: MSAL's throttling memory (after a Retry-After) is process-wide.</summary>
    public string ClientId { get; } = Guid.NewGuid().ToString();

    public static async Task<EntraFixture> StartAsync(EntraStandInOptions? options = null) =>
        new(await EntraStandIn.StartAsync(options));

    public EntraSettings Settings(EntraCredential credential) => new()
    {
        TenantId = TenantId,
        ClientId = ClientId,
        Credential = credential,
        Scopes = ["https://management.azure.com/.default"],
        AuthorityHost = StandIn.AuthorityHost,
    };

    public EntraTokenSource Source(EntraCredential credential, RefreshPolicy? policy = null) =>
        new(Settings(credential), _http, Clock, policy ?? new RefreshPolicy { Jitter = 0 }, new Random(1), Redactor);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await StandIn.DisposeAsync();
    }
}
