using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
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
        var federatedAssertion = await ClientAuthentication.FederatedAssertionAsync(request, tokenRequest: true, cancellationToken);
        using var message = BuildMessage(request, timeProvider.GetUtcNow(), out var credential, federatedAssertion);
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

            // The server's refresh_in wins when it is sooner: it may know of a key rotation or revocation ahead.
            var refreshOn = refreshPolicy.RefreshOn(token.IssuedAt, token.ExpiresOn, random);
            if (parsed.ServerRefreshOn is { } serverRefreshOn && serverRefreshOn < refreshOn)
            {
                refreshOn = serverRefreshOn;
            }

            return parsed with { Token = token with { RefreshOn = refreshOn } };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"token endpoint did not answer within {request.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (OAuthErrorException ex) when (ex.Message.Contains(credential, StringComparison.Ordinal) || request.AuthMethod.SendsAssertion())
        {
            // A hostile or broken server echoed the secret or the assertion in its error: never let it reach a log.
            // A refused assertion also gets the hints that fit it.
            throw new OAuthErrorException(ex.Kind, Redact(ex.Error, credential, request.AuthMethod), ex.ErrorDescription is null ? null : Redact(ex.ErrorDescription, credential, request.AuthMethod), ex.StatusCode ?? HttpStatusCode.BadRequest, ex.RetryAfter, request.AuthMethod);
        }
        catch (TokenRequestException ex) when (ex.Message.Contains(credential, StringComparison.Ordinal))
        {
            throw new TokenRequestException(ex.Kind, Redact(ex.Message, credential, request.AuthMethod), ex.StatusCode, ex.RetryAfter);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"could not reach the token endpoint at {request.TokenUrl.GetLeftPart(UriPartial.Authority)}: {Describe(ex)}", innerException: null);
        }
    }

    /// <param name="credential">The secret value sent (client secret or assertion), for redaction.</param>
    /// <param name="federatedAssertion">The CI platform's ID token, for the federated methods.</param>
    internal static HttpRequestMessage BuildMessage(TokenRequest request, DateTimeOffset now, out string credential, string? federatedAssertion = null)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (request.Grant == TokenGrant.TokenExchange)
        {
            form.Add(new("grant_type", TokenGrantNames.TokenExchangeGrantType));
            form.Add(new("subject_token", federatedAssertion ?? throw new InvalidOperationException("a token exchange needs the ID token fetched first")));
            form.Add(new("subject_token_type", request.SubjectTokenType));
        }
        else
        {
            form.Add(new("grant_type", "client_credentials"));
        }

        var message = new HttpRequestMessage(HttpMethod.Post, request.TokenUrl);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        credential = ClientAuthentication.Apply(request, message, form, now, federatedAssertion);

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

    private static string Redact(string text, string credential, ClientAuthMethod method)
    {
        text = text.Replace(credential, "***", StringComparison.Ordinal);
        if (!method.SendsAssertion())
        {
            return text;
        }

        // A server may cut an echoed assertion short (so do we: descriptions are kept to 300 characters); its signed
        // part still gives it away, so that goes, with whatever of the signature follows it.
        var signedPart = credential[..credential.LastIndexOf('.')];
        int start;
        while ((start = text.IndexOf(signedPart, StringComparison.Ordinal)) >= 0)
        {
            var end = start + signedPart.Length;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_' or '.'))
            {
                end++;
            }

            text = string.Concat(text.AsSpan(0, start), "***", text.AsSpan(end));
        }

        return text;
    }

    internal static string FormEncode(string value) => ClientAuthentication.FormEncode(value);

    private static Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ResponseBody.ReadAsync(response, "token endpoint", cancellationToken);

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
