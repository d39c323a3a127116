using System.Globalization;
using StudioToken.Core.OAuth;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Settings;

/// <summary>
/// The checks every host's inputs share (the action's kebab-case, the task's camelCase): each returns what is wrong
/// and how to fix it, or null when the text is fine; an absent setting takes its default.
/// </summary>
public static class SettingChecks
{
    public static string? TokenUrl(string? text, out Uri? url)
    {
        url = null;
        if (text is null)
        {
            return "is required: the token endpoint, e.g. https://studio.example.com/api/v2/oauth/token";
        }

        return Uri.TryCreate(text, UriKind.Absolute, out url)
            ? null
            : $"'{text}' is not an absolute URL, e.g. https://studio.example.com/api/v2/oauth/token";
    }

    /// <summary>
    /// The issuer whose metadata names the endpoints (RFC 8414, OpenID Connect Discovery); absent is fine. Held to the
    /// token URL's rules, since whoever controls the document decides where the credentials go.
    /// </summary>
    public static string? Issuer(string? text, out Uri? url)
    {
        url = null;
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out url))
        {
            return $"'{text}' is not an absolute URL, e.g. https://id.example.com";
        }

        return MetadataDiscovery.IssuerProblem(url, allowInsecureHttp: false) is { } problem ? $"'{text}' {problem}" : null;
    }

    public static string? RefreshAt(string? text, out double refreshAt)
    {
        refreshAt = RefreshPolicy.DefaultRefreshAt;
        return text is null || (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out refreshAt) && refreshAt is > 0 and < 1)
            ? null
            : $"'{text}' must be a fraction of the token lifetime between 0 and 1, e.g. 0.5";
    }

    public static string? MaxLifetime(string? text, out TimeSpan maxLifetime)
    {
        maxLifetime = TimeSpan.FromHours(6);
        return text is null || (DurationText.TryParse(text, out maxLifetime) && maxLifetime > TimeSpan.Zero)
            ? null
            : $"'{text}' is not a duration; write e.g. 6h, 90m or 3600s";
    }

    /// <summary>Revocation sends the client's credentials, so plain http is refused as it is for the token URL.</summary>
    public static string? RevocationUrl(string? text, out Uri? url)
    {
        url = null;
        if (text is null)
        {
            return null;
        }

        if (!(Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme is "https" or "http"))
        {
            return $"'{text}' is not an absolute http(s) URL";
        }

        return url.Scheme == "http" && !url.IsLoopback
            ? $"'{text}' uses http:// to a host that is not loopback, which would send the client secret in clear; use https://"
            : null;
    }

    /// <summary>Booleans as both runners write them: true/false in any of the YAML spellings.</summary>
    public static string? Boolean(string? text, bool defaultValue, out bool value)
    {
        switch (text)
        {
            case null:
                value = defaultValue;
                return null;
            case "true" or "True" or "TRUE":
                value = true;
                return null;
            case "false" or "False" or "FALSE":
                value = false;
                return null;
            default:
                value = defaultValue;
                return $"'{text}' is not a boolean; use true or false";
        }
    }
}
