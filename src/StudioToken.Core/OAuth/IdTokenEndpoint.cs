using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>
/// A CI platform's endpoint that hands a job an OIDC ID token for a bearer credential of the job's own (GitHub's
/// <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>, Azure Pipelines' <c>oidctoken</c>): one exchange, its answer's token property
/// read with the same caps and checks as a token response, and failures classified as the token endpoint's are.
/// </summary>
/// <param name="speaker">Who answers, to start messages with, e.g. "GitHub's ID token endpoint".</param>
/// <param name="rejectedHint">What to check when it refuses (401/403/404), e.g. the workflow permission.</param>
public sealed class IdTokenEndpoint(HttpClient httpClient, TimeProvider timeProvider, string speaker, string rejectedHint)
{
    /// <summary>How long one exchange may take; these endpoints answer in milliseconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="message"/> (already addressed and authorised) and returns the ID token in <paramref name="property"/>.</summary>
    public async Task<Secret> FetchAsync(HttpRequestMessage message, string property, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Headers.Accept.ParseAdd("application/json");
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"{speaker} did not answer within {Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"could not reach {speaker} at {message.RequestUri?.GetLeftPart(UriPartial.Authority)}: {ex.HttpRequestError}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var retryAfter = TokenClient.RetryAfter(response, timeProvider.GetUtcNow());
            if (status is 408 or 429 or >= 500)
            {
                throw new TokenRequestException(TokenFailureKind.Transient, $"{speaker} answered {status} {response.StatusCode}", response.StatusCode, retryAfter);
            }

            // The body of a refusal is not quoted: it is the platform's, and may echo the request.
            if (status is 401 or 403 or 404)
            {
                throw new TokenRequestException(TokenFailureKind.Rejected, $"{speaker} answered {status} {response.StatusCode}; {rejectedHint}", response.StatusCode);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new TokenRequestException(TokenFailureKind.BadResponse, $"{speaker} answered {status} {response.StatusCode}", response.StatusCode);
            }

            var body = await ResponseBody.ReadAsync(response, speaker, linked.Token);
            var token = ReadProperty(body, property);
            return token is not null && BearerTokenSyntax.IsB64Token(token) && token.Count(c => c == '.') == 2
                ? new Secret(token)
                : throw new TokenRequestException(TokenFailureKind.BadResponse, $"{speaker} answered 200 without a JWT in '{property}'", response.StatusCode);
        }
    }

    private static string? ReadProperty(string body, string property)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(body)) { DateParseHandling = DateParseHandling.None, MaxDepth = 16 };
            return JToken.ReadFrom(reader) is JObject json && json[property] is JValue { Type: JTokenType.String } value ? (string?)value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
