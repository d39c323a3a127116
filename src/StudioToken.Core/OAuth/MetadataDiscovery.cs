using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Core.Retry;

namespace StudioToken.Core.OAuth;

/// <summary>
/// Finds an issuer's <see cref="ServerMetadata"/>: RFC 8414 first (<c>/.well-known/oauth-authorization-server</c>
/// inserted before the issuer's path), then OpenID Connect Discovery (<c>/.well-known/openid-configuration</c>
/// appended to it). Nothing secret is sent; redirects are not followed; transient failures are retried by the
/// <see cref="RetryPolicy"/>. A location that has no document moves on to the next; a document that is wrong does not.
/// </summary>
public sealed class MetadataDiscovery(HttpClient httpClient, TimeProvider timeProvider, RetryPolicy retryPolicy, Random random, ITokenLog log)
{
    public const string OAuthWellKnownPath = "/.well-known/oauth-authorization-server";
    public const string OpenIdWellKnownPath = "/.well-known/openid-configuration";

    private readonly TransientRetry _retry = new(retryPolicy, timeProvider, random, log);

    /// <summary>Where to look, in order (RFC 8414 §3.1, OpenID Connect Discovery §4); a terminating "/" of the issuer's path is dropped.</summary>
    public static IReadOnlyList<Uri> Locations(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var authority = issuer.GetLeftPart(UriPartial.Authority);
        var path = issuer.AbsolutePath.TrimEnd('/');
        return [new Uri(authority + OAuthWellKnownPath + path), new Uri(authority + path + OpenIdWellKnownPath)];
    }

    /// <summary>
    /// What is wrong with an issuer (RFC 8414 §2: no query or fragment), to follow the quoted issuer in a message; null
    /// when it is fine. Plain http is refused as for the token URL: whoever can change the document can send the
    /// client secret anywhere.
    /// </summary>
    public static string? IssuerProblem(Uri issuer, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return EndpointUrl.Problem(issuer, allowInsecureHttp)
            ?? (string.IsNullOrEmpty(issuer.Query) ? null : "must not contain a ?query (RFC 8414)");
    }

    public async Task<ServerMetadata> DiscoverAsync(Uri issuer, bool allowInsecureHttp, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        if (IssuerProblem(issuer, allowInsecureHttp) is { } problem)
        {
            throw new TokenConfigurationException("issuer", $"'{issuer}' {problem}");
        }

        var misses = new List<string>();
        foreach (var location in Locations(issuer))
        {
            var answer = await _retry.RunAsync(attempt => FetchAsync(location, requestTimeout, attempt), cancellationToken);
            if (answer.Document is { } document)
            {
                return ServerMetadata.FromDocument(document, issuer, location, allowInsecureHttp);
            }

            misses.Add($"{location.AbsoluteUri} answered {answer.Miss}");
        }

        throw new TokenRequestException(TokenFailureKind.BadResponse, $"found no authorization server metadata for {issuer.AbsoluteUri}: {string.Join("; ", misses)}; check the issuer");
    }

    private async Task<Answer> FetchAsync(Uri location, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        var speaker = $"authorization server metadata at {location.AbsoluteUri}";
        using var message = new HttpRequestMessage(HttpMethod.Get, location);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = requestTimeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(requestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = response.StatusCode;
            var code = (int)status;
            if (code is 408 or 429 or >= 500)
            {
                throw new TokenRequestException(TokenFailureKind.Transient, $"{speaker} answered {code} {ReasonPhrase(status)}", status, TokenClient.RetryAfter(response, timeProvider.GetUtcNow()));
            }

            if (code is >= 300 and < 400)
            {
                return Answer.Missing($"{code} {ReasonPhrase(status)} (a redirect, which is not followed)");
            }

            if (code is < 200 or >= 300)
            {
                return Answer.Missing($"{code} {ReasonPhrase(status)}");
            }

            var body = await ResponseBody.ReadAsync(response, speaker, linked.Token);
            if (body.AsSpan().TrimStart().StartsWith("<") || (response.Content.Headers.ContentType?.MediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                return Answer.Missing($"{code} with HTML, not JSON");
            }

            try
            {
                return new Answer(StrictJson.ParseObject(body), null);
            }
            catch (JsonException)
            {
                return Answer.Missing($"{code} with a body that is not a JSON object");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"{speaker} did not answer within {requestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"could not reach the authorization server at {location.GetLeftPart(UriPartial.Authority)}: {Describe(ex)}");
        }
    }

    private static string ReasonPhrase(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : "(unknown status)";

    private static string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return TokenResponseParser.OneLine(socket is not null ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString(), 120);
    }

    /// <summary>A location's document, or in a few words why it has none.</summary>
    private sealed record Answer(JObject? Document, string? Miss)
    {
        public static Answer Missing(string why) => new(null, why);
    }
}
