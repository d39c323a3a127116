using System.Globalization;
using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.OAuth;

/// <summary>
/// Turns a token endpoint's answer into an <see cref="AccessToken"/> or a typed failure, strictly:
/// whatever is accepted here ends up in files, environment variables and runner commands.
/// </summary>
public static class TokenResponseParser
{
    /// <summary>Bodies larger than this are refused unread; a token response is a few kilobytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Parses a response that arrived for a request sent at <paramref name="sentAt"/>.</summary>
    public static TokenResponse Parse(HttpStatusCode status, string? mediaType, string body, DateTimeOffset sentAt, TimeSpan assumedLifetime, TimeSpan? retryAfter)
    {
        var code = (int)status;
        if (code is >= 300 and < 400)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {code} {status} (a redirect, which is not followed); set --token-url to the final URL", status);
        }

        if (code is < 200 or >= 300)
        {
            throw ParseError(status, mediaType, body, retryAfter);
        }

        var json = ParseJsonObject(body, mediaType, status);
        var warnings = new List<string>();

        var value = json["access_token"] is JValue { Type: JTokenType.String } raw ? (string)raw! : null;
        if (string.IsNullOrEmpty(value))
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, "token endpoint answered 200 without an access_token; is --token-url the token endpoint?", status);
        }

        if (!BearerTokenSyntax.IsB64Token(value))
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, "token endpoint returned an access_token with characters outside RFC 6750 b64token (letters, digits, -._~+/ and trailing =); refusing to store or export it", status);
        }

        string tokenType;
        switch (json["token_type"])
        {
            case null or JValue { Type: JTokenType.Null }:
                tokenType = "Bearer";
                warnings.Add("token endpoint sent no token_type; assuming Bearer");
                break;
            case JValue { Type: JTokenType.String } type when string.Equals((string?)type, "bearer", StringComparison.OrdinalIgnoreCase):
                tokenType = "Bearer";
                break;
            case var other:
                throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint returned token_type '{OneLine(other.ToString(Formatting.None), 40)}'; only Bearer tokens are supported", status);
        }

        var expiresOn = ReadExpiry(json, value, sentAt, assumedLifetime, warnings, status);
        var scope = json["scope"] is JValue { Type: JTokenType.String } s ? (string?)s : null;

        var token = new AccessToken(new Secret(value), tokenType, string.IsNullOrEmpty(scope) ? null : scope, sentAt, expiresOn, expiresOn);
        return new TokenResponse(token, warnings) { ServerRefreshOn = ReadRefreshIn(json, sentAt, expiresOn) };
    }

    private static DateTimeOffset ReadExpiry(JObject json, string value, DateTimeOffset sentAt, TimeSpan assumedLifetime, List<string> warnings, HttpStatusCode status)
    {
        var expiresIn = json["expires_in"];
        if (expiresIn is not null && expiresIn.Type != JTokenType.Null)
        {
            long seconds = expiresIn switch
            {
                JValue { Value: long n } => n, // a number beyond 64 bits arrives as BigInteger and is refused below
                JValue { Type: JTokenType.String } t when long.TryParse((string?)t, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => -1,
            };
            if (seconds <= 0 || seconds > TimeSpan.FromDays(366).TotalSeconds)
            {
                throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint returned expires_in {OneLine(expiresIn.ToString(Formatting.None), 40)}; expected a positive whole number of seconds", status);
            }

            // A JWT's own exp can be up to a second earlier (servers round iat down): take the earlier of the two,
            // unless exp is already past, which only says the server's clock is off.
            var byExpiresIn = sentAt.AddSeconds(seconds);
            return JwtExpiry.TryRead(value) is { } signedExp && signedExp > sentAt && signedExp < byExpiresIn ? signedExp : byExpiresIn;
        }

        if (JwtExpiry.TryRead(value) is { } exp)
        {
            if (exp <= sentAt)
            {
                throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint issued a token that had already expired (exp {exp:yyyy-MM-ddTHH:mm:ssZ}); check the server's clock", status);
            }

            return exp;
        }

        warnings.Add($"token endpoint sent no expires_in and the token is not a JWT with exp; assuming it lives {(long)assumedLifetime.TotalSeconds} s");
        return sentAt + assumedLifetime;
    }

    /// <summary>Not in RFC 6749, so a value that makes no sense is ignored rather than failing a token that is fine.</summary>
    private static DateTimeOffset? ReadRefreshIn(JObject json, DateTimeOffset sentAt, DateTimeOffset expiresOn)
    {
        long seconds = json["refresh_in"] switch
        {
            JValue { Value: long n } => n,
            JValue { Type: JTokenType.String } t when long.TryParse((string?)t, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => -1,
        };
        return seconds > 0 && seconds < (expiresOn - sentAt).TotalSeconds ? sentAt.AddSeconds(seconds) : null;
    }

    private static TokenRequestException ParseError(HttpStatusCode status, string? mediaType, string body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var transient = code is 408 or 429 or >= 500;
        JObject? json = null;
        try
        {
            json = ParseJsonObject(body, mediaType, status);
        }
        catch (TokenRequestException)
        {
            // Not an RFC 6749 §5.2 body; classify by status alone below.
        }

        if (json?["error"] is JValue { Type: JTokenType.String } error && !string.IsNullOrWhiteSpace((string?)error))
        {
            var description = json["error_description"] is JValue { Type: JTokenType.String } d ? OneLine((string?)d ?? string.Empty, 300) : null;
            var kind = transient ? TokenFailureKind.Transient : TokenFailureKind.Rejected;
            return new OAuthErrorException(kind, OneLine((string?)error ?? string.Empty, 80), description, status, retryAfter);
        }

        var reason = ReasonPhrase(status);
        if (transient)
        {
            return new TokenRequestException(TokenFailureKind.Transient, $"token endpoint answered {code} {reason}", status, retryAfter);
        }

        return code switch
        {
            400 or 401 or 403 => new TokenRequestException(TokenFailureKind.Rejected, $"token endpoint answered {code} {reason} without an OAuth error; check the client id, the client secret and the client authentication method", status),
            _ => new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {code} {reason}; check the token URL", status),
        };
    }

    private static JObject ParseJsonObject(string body, string? mediaType, HttpStatusCode status)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {(int)status} with an empty body; expected JSON", status);
        }

        if (trimmed[0] == '<' || (mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {(int)status} with HTML, not JSON; is --token-url the token endpoint and not a login page?", status);
        }

        try
        {
            return StrictJson.ParseObject(body);
        }
        catch (JsonException)
        {
            throw new TokenRequestException(TokenFailureKind.BadResponse, $"token endpoint answered {(int)status} with a body that is not a JSON object; expected an OAuth token response", status);
        }
    }

    private static string ReasonPhrase(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : "(unknown status)";

    /// <summary>Server text goes into one-line messages: no control characters, bounded length.</summary>
    internal static string OneLine(string text, int max)
    {
        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var line = new string(chars).Trim();
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max), "…");
    }
}

/// <summary>A parsed token and what the caller should warn about (a missing token_type, an assumed lifetime).</summary>
public sealed record TokenResponse(AccessToken Token, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// When the server asks to be asked again (<c>refresh_in</c>, sent by Entra ID and others for long-lived tokens, as
    /// MSAL reads it); null when it did not say, or said something outside the token's lifetime.
    /// </summary>
    public DateTimeOffset? ServerRefreshOn { get; init; }
}
