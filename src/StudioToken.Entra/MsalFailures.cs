using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra;

/// <summary>
/// Turns MSAL's exceptions into <see cref="TokenRequestException"/>s classified as the retry and refresh policies
/// expect, with one-line messages that hold no secret and no assertion (MSAL's own messages may quote server text).
/// </summary>
internal static partial class MsalFailures
{
    /// <summary>Entra's descriptions run to several lines (trace and correlation ids); the first carries the AADSTS code and the reason.</summary>
    private const int MaxDescription = 300;

    public static TokenRequestException FromService(MsalServiceException ex, EntraCredential credential, Redactor redactor, DateTimeOffset now)
    {
        var status = ex.StatusCode;
        var retryAfter = RetryAfter(ex.Headers, now);
        if (ex is MsalThrottledServiceException)
        {
            // MSAL refuses to repeat a request Entra throttled until the Retry-After it was given has passed.
            return new TokenRequestException(TokenFailureKind.Transient, $"Entra ID asked to wait{(retryAfter is { } wait ? $" {wait.TotalSeconds:0} s" : string.Empty)} before the next token request (HTTP {status}); MSAL holds it back until then", StatusCodeOf(status), retryAfter);
        }

        if (ex.ErrorCode == MsalError.RequestTimeout)
        {
            return new TokenRequestException(TokenFailureKind.Transient, "Entra ID did not answer in time");
        }

        var description = Describe(ServerDescription(ex.ResponseBody) ?? ex.Message, redactor);
        var transient = status is 408 or 429 or >= 500 || ex.ErrorCode == MsalError.ServiceNotAvailable;
        if (transient)
        {
            return new TokenRequestException(TokenFailureKind.Transient, $"Entra ID answered {StatusText(status)}{(ex.ErrorCode == MsalError.ServiceNotAvailable ? string.Empty : " " + ex.ErrorCode)}", StatusCodeOf(status), retryAfter);
        }

        if (ex.ErrorCode is MsalError.NonParsableOAuthError or MsalError.UnknownError || string.IsNullOrEmpty(ex.ErrorCode))
        {
            return status is 400 or 401 or 403
                ? new TokenRequestException(TokenFailureKind.Rejected, $"Entra ID answered {StatusText(status)} without an OAuth error; check the tenant id, the client id and the {credential.Name}", StatusCodeOf(status))
                : new TokenRequestException(TokenFailureKind.BadResponse, $"Entra ID answered {StatusText(status)}, not a token response; check the tenant id and the authority host", StatusCodeOf(status));
        }

        var error = OneLine(ex.ErrorCode, 80);
        var text = description.Length == 0 ? string.Empty : ": " + description;
        return new TokenRequestException(TokenFailureKind.Rejected, $"Entra ID answered {StatusText(status)} {error}{text}{Hint(error, description, credential)}", StatusCodeOf(status), retryAfter);
    }

    public static TokenRequestException FromClient(MsalClientException ex, Redactor redactor) =>

        // Raised before or after the exchange (a response MSAL cannot read, a certificate it cannot sign with): not
        // something a quick retry mends.
        new(TokenFailureKind.BadResponse, $"MSAL failed ({OneLine(ex.ErrorCode, 80)}): {Describe(ex.Message, redactor)}");

    public static TokenRequestException FromNetwork(HttpRequestException ex, Uri authority)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        var reason = socket is not null ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
        return new TokenRequestException(TokenFailureKind.Transient, $"could not reach Entra ID at {authority.GetLeftPart(UriPartial.Authority)}: {reason}");
    }

    private static string Hint(string error, string description, EntraCredential credential)
    {
        // The AADSTS codes Entra gives for the mistakes people make when setting a credential up.
        if (description.StartsWith("AADSTS70021", StringComparison.Ordinal) || description.StartsWith("AADSTS700213", StringComparison.Ordinal))
        {
            return " (no federated credential of the app matches the ID token: check its issuer, subject (e.g. repo:ORG/REPO:ref:refs/heads/main) and audience api://AzureADTokenExchange)";
        }

        if (description.StartsWith("AADSTS700016", StringComparison.Ordinal))
        {
            return " (no app with that client id in the tenant: check the client id and the tenant id)";
        }

        if (description.StartsWith("AADSTS90002", StringComparison.Ordinal) || description.StartsWith("AADSTS900023", StringComparison.Ordinal))
        {
            return " (check the tenant id)";
        }

        return error switch
        {
            "invalid_client" => credential switch
            {
                EntraCredential.ClientCertificate => " (check that the certificate is uploaded to the app registration and has not expired)",
                EntraCredential.FederatedAssertion => " (check the app's federated credential: issuer, subject and audience api://AzureADTokenExchange)",
                _ => " (check the client id and the client secret, and whether the secret has expired)",
            },
            "invalid_scope" or "invalid_resource" => " (check the scope or resource: use RESOURCE/.default for an app's granted permissions)",
            "unauthorized_client" => " (the app may not use the client_credentials grant; check its registration)",
            _ => string.Empty,
        };
    }

    /// <summary>
    /// Entra's own <c>error_description</c>: MSAL puts advice of its own before it in some messages (invalid_client),
    /// pushing the AADSTS code past what a one-line message keeps.
    /// </summary>
    private static string? ServerDescription(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error_description", out var description)
                && description.ValueKind == JsonValueKind.String
                ? description.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first line, bounded, with known secrets and anything shaped like a JWT removed.</summary>
    private static string Describe(string message, Redactor redactor)
    {
        var firstLine = message.Split('\n', 2)[0];
        var redacted = JwtLike().Replace(redactor.Redact(firstLine), "***");
        return OneLine(redacted, MaxDescription);
    }

    private static TimeSpan? RetryAfter(HttpResponseHeaders? headers, DateTimeOffset now)
    {
        var header = headers?.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    private static string StatusText(int status) =>
        status == 0 ? "(no HTTP status)" : $"{status} {(Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString() : string.Empty)}".TrimEnd();

    private static HttpStatusCode? StatusCodeOf(int status) => status == 0 ? null : (HttpStatusCode)status;

    private static string OneLine(string? text, int max)
    {
        var line = new string((text ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max), "…");
    }

    /// <summary>
    /// A JWT's header is base64url of <c>{"</c>, so every JWT starts <c>eyJ</c>: whatever follows (payload, signature,
    /// or a cut-off part of them) goes with it. Covers the certificate assertion MSAL built, which we never see.
    /// </summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)*")]
    private static partial Regex JwtLike();
}
