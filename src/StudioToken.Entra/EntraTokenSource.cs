using Microsoft.Identity.Client;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Entra.Internal;

namespace StudioToken.Entra;

/// <summary>
/// Client credentials from Entra ID through MSAL.NET. One <see cref="IConfidentialClientApplication"/> for the source's
/// lifetime, so MSAL's in-memory token cache answers every call made before the token is due, with no request.
/// When it is due (MSAL's <c>refresh_on</c>, from Entra's <c>refresh_in</c>; else <c>refresh-at</c> of the lifetime),
/// the source asks MSAL to bypass its cache: left alone, MSAL would hand back the old token and refresh in the
/// background, where a failure never reaches <c>last_error</c> or the retry policy.
/// </summary>
public sealed class EntraTokenSource : ITokenSource
{
    private readonly EntraSettings _settings;
    private readonly IConfidentialClientApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly RefreshPolicy _refreshPolicy;
    private readonly Random _random;
    private readonly Redactor _redactor;
    private AccessToken? _current;

    /// <summary>The clock MSAL reads for <see cref="AuthenticationResult.ExpiresOn"/>: the wall clock, whatever clock the source is given.</summary>
    private static TimeProvider MsalClock => TimeProvider.System;

    /// <param name="httpClient">See <c>TokenClient.CreateHttpClient</c>; MSAL sends everything through it.</param>
    /// <param name="redactor">Values no message may hold; the client secret is added to it here, each assertion as it is made.</param>
    public EntraTokenSource(EntraSettings settings, HttpClient httpClient, TimeProvider timeProvider, RefreshPolicy refreshPolicy, Random random, Redactor redactor)
    {
        settings.Validate();
        _settings = settings;
        _timeProvider = timeProvider;
        _refreshPolicy = refreshPolicy;
        _random = random;
        _redactor = redactor;

        var builder = ConfidentialClientApplicationBuilder.Create(settings.ClientId.Trim())
            .WithAuthority(settings.Authority.AbsoluteUri)

            // Instance discovery asks login.microsoftonline.com which hosts are aliases of the authority, for a cache
            // shared between apps; this app's cache is its own and the host is the one the user named.
            .WithInstanceDiscovery(false)

            // Retrying is the caller's: with backoff and jitter on our clock, counted in last_error. MSAL's own retry
            // would add a hidden second request after a fixed second on 5xx.
            .WithHttpClientFactory(new MsalHttpClientFactory(httpClient), retryOnceOn5xx: false);

        // No WithLogging: MSAL stays silent. Its log would repeat what our messages say, and its PII switch is one
        // mistake away from printing a token.
        builder = settings.Credential switch
        {
            EntraCredential.ClientSecret secret => AddSecret(builder, secret.Value),
            EntraCredential.ClientCertificate certificate => builder.WithCertificate(certificate.Certificate, sendX5C: false),
            EntraCredential.FederatedAssertion federated => builder.WithClientAssertion(options => AssertionAsync(federated.Source, options.CancellationToken)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Credential.GetType().Name, "unknown credential"),
        };
        _app = builder.Build();
    }

    public Uri TokenUrl => _settings.TokenEndpoint;

    public async Task<TokenResponse> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        var sentAt = _timeProvider.GetUtcNow();
        var due = current is null || sentAt >= current.RefreshOn;

        using var timeout = _settings.RequestTimeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(_settings.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        AuthenticationResult result;
        try
        {
            result = await _app.AcquireTokenForClient(_settings.Scopes)
                .WithForceRefresh(due && current is not null)
                .ExecuteAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"Entra ID did not answer within {_settings.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (MsalServiceException ex)
        {
            throw MsalFailures.FromService(ex, _settings.Credential, _redactor, _timeProvider.GetUtcNow());
        }
        catch (MsalClientException ex)
        {
            throw MsalFailures.FromClient(ex, _redactor);
        }
        catch (HttpRequestException ex)
        {
            throw MsalFailures.FromNetwork(ex, _settings.Authority);
        }

        // From MSAL's cache: the token handed out before, timed as it was then.
        if (current is not null && result.AuthenticationResultMetadata?.TokenSource == TokenSource.Cache && string.Equals(result.AccessToken, current.Value.Reveal(), StringComparison.Ordinal))
        {
            return new TokenResponse(current, []);
        }

        var token = ToAccessToken(result, sentAt);
        Volatile.Write(ref _current, token);
        return new TokenResponse(token, []);
    }

    private AccessToken ToAccessToken(AuthenticationResult result, DateTimeOffset sentAt)
    {
        // Whatever is accepted here ends up in files, environment variables and runner commands (as TokenResponseParser).
        if (string.IsNullOrEmpty(result.AccessToken) || !BearerTokenSyntax.IsB64Token(result.AccessToken))
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, "Entra ID returned an access_token with characters outside RFC 6750 b64token (letters, digits, -._~+/ and trailing =); refusing to store or export it");
        }

        if (!string.Equals(result.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"Entra ID returned token_type '{new string([.. result.TokenType.Where(char.IsAsciiLetterOrDigit).Take(40)])}'; only Bearer tokens are supported");
        }

        // MSAL dates ExpiresOn and RefreshOn by the wall clock, which it reads itself (it has no clock seam). What is
        // left of each by that clock now is carried over to ours, so the refresher times only by the clock it was given.
        var msalNow = MsalClock.GetUtcNow();
        var expiresOn = sentAt + (result.ExpiresOn - msalNow);
        if (expiresOn <= sentAt)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, "Entra ID returned a token that had already expired; check the clock");
        }

        // Entra's refresh_in (MSAL's RefreshOn) when it sent one; else our own refresh-at with jitter. One already past
        // (a zero or negative refresh_in) is ignored: taken, it would make the refresher ask again at once, and again,
        // with no backoff.
        var refreshOn = result.AuthenticationResultMetadata?.RefreshOn is { } msalRefreshOn && sentAt + (msalRefreshOn - msalNow) is var refreshIn && refreshIn > sentAt && refreshIn < expiresOn
            ? refreshIn
            : _refreshPolicy.RefreshOn(sentAt, expiresOn, _random);
        var scope = result.Scopes is null ? null : string.Join(' ', result.Scopes);
        return new AccessToken(new Secret(result.AccessToken), "Bearer", string.IsNullOrEmpty(scope) ? null : scope, sentAt, expiresOn, refreshOn);
    }

    private ConfidentialClientApplicationBuilder AddSecret(ConfidentialClientApplicationBuilder builder, Secret secret)
    {
        _redactor.Add(secret);
        return builder.WithClientSecret(secret.Reveal());
    }

    private async Task<string> AssertionAsync(IClientAssertionSource source, CancellationToken cancellationToken)
    {
        // A new ID token for every request MSAL sends; MSAL never caches an assertion from a delegate.
        var assertion = await source.GetAssertionAsync(cancellationToken);
        _redactor.Add(assertion);
        return assertion.Reveal();
    }
}
