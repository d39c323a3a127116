using System.Buffers.Text;
using System.Security.Cryptography;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// A local stand-in for GitHub's and Azure's OIDC token services on 127.0.0.1: it signs RS256 ID tokens with its
/// own key, publishes that key through discovery and a JWKS (so a server can be told to trust it), and serves both
/// platforms' token requests. Tests steer it (<see cref="Answer"/>, <see cref="MintExpired"/>) and count what it issued.
/// </summary>
public sealed class IdTokenIssuer : IAsyncDisposable
{
    /// <summary>How long before the request an "expired" token ran out: past any verifier's usual clock skew (5 min).</summary>
    public static readonly TimeSpan ExpiredFor = TimeSpan.FromMinutes(10);

    private readonly WebApplication _app;
    private readonly IssuedIdTokens _issued = new();
    private volatile IdTokenAnswer _answer = IdTokenAnswer.Token;
    private volatile bool _mintExpired;
    private Uri? _baseUrl;

    private IdTokenIssuer(WebApplication app, IdTokenIssuerOptions options)
    {
        _app = app;
        Options = options;
    }

    public IdTokenIssuerOptions Options { get; }

    /// <summary>The root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("the issuer has not started");

    /// <summary>The <c>iss</c> of every token: the root without its slash, as GitHub writes its own.</summary>
    public string Issuer => BaseUrl.AbsoluteUri.TrimEnd('/');

    public Uri DiscoveryUrl => new(BaseUrl, DiscoveryEndpoints.ConfigurationPath);

    public Uri JwksUrl => new(BaseUrl, DiscoveryEndpoints.KeySetPath);

    /// <summary>What a job reads from <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>: it already has a query, so callers append <c>&amp;audience=</c>.</summary>
    public Uri GitHubRequestUrl => new(BaseUrl, GitHubIdTokenEndpoint.Path + "?api-version=2.0");

    /// <summary>What a job reads from <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>; a secret, new for each issuer.</summary>
    public string GitHubRequestToken { get; } = NewBearerToken();

    /// <summary>What a job reads from <c>SYSTEM_OIDCREQUESTURI</c>.</summary>
    public Uri AzureOidcRequestUri => new(BaseUrl, AzureOidcTokenEndpoint.Path);

    /// <summary>What a job reads from <c>SYSTEM_ACCESSTOKEN</c>; a secret, new for each issuer.</summary>
    public string AzureAccessToken { get; } = NewBearerToken();

    public string AzureServiceConnectionId => Options.AzureServiceConnectionId;

    /// <summary>How the token endpoints answer an authorized caller; switchable while running.</summary>
    public IdTokenAnswer Answer
    {
        get => _answer;
        set => _answer = value;
    }

    /// <summary>Mint tokens that expired <see cref="ExpiredFor"/> before they were asked for.</summary>
    public bool MintExpired
    {
        get => _mintExpired;
        set => _mintExpired = value;
    }

    /// <summary>Back to answering with valid tokens, for tests that changed <see cref="Answer"/> or <see cref="MintExpired"/>.</summary>
    public void Reset()
    {
        _answer = IdTokenAnswer.Token;
        _mintExpired = false;
    }

    /// <summary>ID tokens handed out so far, by both endpoints.</summary>
    public int IssuedCount => _issued.Count;

    /// <summary>Every ID token handed out so far, oldest first: what tests scan output for.</summary>
    public IReadOnlyList<string> IssuedTokens => _issued.Snapshot();

    internal IdTokenSigner Signer { get; } = new();

    /// <summary>The issuer's public key as PEM, for registering it with a server as a client's own key.</summary>
    public string PublicKeyPem => Signer.ExportPublicKeyPem();

    /// <summary>
    /// Signs any claims with the issuer's key, for tests of what a verifier refuses; such tokens are not counted as
    /// issued, since no endpoint handed them out.
    /// </summary>
    public string SignArbitrary(System.Text.Json.Nodes.JsonObject claims, string type = "JWT") => Signer.Sign(claims, type);

    /// <summary>The trust a server needs for this issuer's GitHub tokens asked for with <paramref name="audience"/>.</summary>
    public FederatedCredential GitHubCredential(string? audience = null) =>
        new(Issuer, Options.GitHubSubject, audience ?? Options.GitHubDefaultAudience);

    /// <summary>The trust a server needs for this issuer's Azure tokens.</summary>
    public FederatedCredential AzureCredential() => new(Issuer, Options.AzureSubject, Options.AzureAudience);

    /// <summary>Starts the issuer and returns once it is listening.</summary>
    public static async Task<IdTokenIssuer> StartAsync(IdTokenIssuerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new IdTokenIssuerOptions();
        var builder = LoopbackWebHost.CreateBuilder(options.Port);
        // Nothing is logged: every request carries a bearer secret and every answer a token.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new IdTokenIssuer(app, options);
        app.MapGet(DiscoveryEndpoints.ConfigurationPath, context => DiscoveryEndpoints.ConfigurationAsync(context, issuer));
        app.MapGet(DiscoveryEndpoints.KeySetPath, context => DiscoveryEndpoints.KeySetAsync(context, issuer));
        app.MapGet(GitHubIdTokenEndpoint.Path, context => GitHubIdTokenEndpoint.HandleAsync(context, issuer));
        app.MapPost(AzureOidcTokenEndpoint.Path, context => AzureOidcTokenEndpoint.HandleAsync(context, issuer));
        try
        {
            await app.StartAsync(cancellationToken);
            issuer._baseUrl = LoopbackWebHost.ListeningUrl(app);
            return issuer;
        }
        catch
        {
            await issuer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Signer.Dispose();
    }

    internal string MintGitHub(string audience) =>
        Record(Signer.Sign(CiPlatformClaims.GitHub(Issuer, Options.GitHubSubject, audience, IssuedAt(), Options.Lifetime)));

    internal string MintAzure() =>
        Record(Signer.Sign(CiPlatformClaims.Azure(Issuer, Options.AzureSubject, Options.AzureAudience, IssuedAt(), Options.Lifetime)));

    private DateTimeOffset IssuedAt()
    {
        var now = Options.TimeProvider.GetUtcNow();
        return _mintExpired ? now - Options.Lifetime - ExpiredFor : now;
    }

    private string Record(string token)
    {
        _issued.Add(token);
        return token;
    }

    private static string NewBearerToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
