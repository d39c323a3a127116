using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.OAuth;

/// <summary>Sends one client-credentials request and parses the answer; retrying is the caller's choice.</summary>
public sealed class TokenClient(HttpClient httpClient, TimeProvider timeProvider, RefreshPolicy refreshPolicy, Random random)
{
    /// <summary>An <see cref="HttpClient"/> fit for token requests: no redirects followed, no cookies, timeouts left to the request.</summary>
    public static HttpClient CreateHttpClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async Task<TokenResponse> RequestAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        using var message = BuildMessage(request);
        using var timeout = request.RequestTimeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(request.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        var sentAt = timeProvider.GetUtcNow();
        try
        {
            using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBodyAsync(response, linked.Token);
            var retryAfter = RetryAfter(response, timeProvider.GetUtcNow());
            var parsed = TokenResponseParser.Parse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, sentAt, request.AssumedLifetime, retryAfter);
            var token = parsed.Token;
            return parsed with { Token = token with { RefreshOn = refreshPolicy.RefreshOn(token.IssuedAt, token.ExpiresOn, random) } };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"token endpoint did not answer within {request.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (TokenRequestException ex) when (ex.Message.Contains(request.ClientSecret.Reveal(), StringComparison.Ordinal))
        {
            // A hostile or broken server echoed the secret in its error: never let it reach a log.
            throw ex is OAuthErrorException oauth
                ? new OAuthErrorException(oauth.Kind, Redact(oauth.Error, request), oauth.ErrorDescription is null ? null : Redact(oauth.ErrorDescription, request), oauth.StatusCode ?? HttpStatusCode.BadRequest, oauth.RetryAfter)
                : new TokenRequestException(ex.Kind, Redact(ex.Message, request), ex.StatusCode, ex.RetryAfter);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"could not reach the token endpoint at {request.TokenUrl.GetLeftPart(UriPartial.Authority)}: {Describe(ex)}", innerException: null);
        }
    }

    internal static HttpRequestMessage BuildMessage(TokenRequest request)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        var message = new HttpRequestMessage(HttpMethod.Post, request.TokenUrl);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        ClientAuthentication.Apply(request, message, form);

        if (request.Scope is not null)
        {
            form.Add(new("scope", request.Scope));
        }

        if (request.Audience is not null)
        {
            form.Add(new("audience", request.Audience));
        }

        form.AddRange(request.Resources.Select(r => new KeyValuePair<string, string>("resource", r.AbsoluteUri)));
        form.AddRange(request.ExtraParameters);
        message.Content = new FormUrlEncodedContent(form);
        return message;
    }

    private static string Redact(string text, TokenRequest request) =>
        text.Replace(request.ClientSecret.Reveal(), "***", StringComparison.Ordinal);

    internal static string FormEncode(string value) => ClientAuthentication.FormEncode(value);

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > TokenResponseParser.MaxBodyBytes)
        {
            throw TooLarge(response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[TokenResponseParser.MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > TokenResponseParser.MaxBodyBytes)
        {
            throw TooLarge(response.StatusCode);
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {(int)response.StatusCode} with a body that is not UTF-8 text", response.StatusCode);
        }
    }

    private static TokenRequestException TooLarge(HttpStatusCode status) =>
        new(TokenFailureKind.BadResponse, $"token endpoint answered {(int)status} with a body over {TokenResponseParser.MaxBodyBytes / 1024 / 1024} MiB; refusing to read it", status);

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }

    private static string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        var text = socket is not null ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
        return TokenResponseParser.OneLine(text, 120);
    }
}
