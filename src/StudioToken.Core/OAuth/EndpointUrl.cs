namespace StudioToken.Core.OAuth;

/// <summary>
/// The rule every URL the client secret may be sent to (or that names where to send it) follows, the token URL's:
/// absolute http(s), no user information or fragment, and https unless the host is loopback or plain http is allowed.
/// </summary>
public static class EndpointUrl
{
    /// <summary>What is wrong with <paramref name="url"/>, to follow the quoted URL in a message; null when it is fine.</summary>
    public static string? Problem(Uri url, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "is not an absolute http(s) URL";
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            return "must not contain user information or a #fragment";
        }

        return url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !allowInsecureHttp
            ? "uses http:// to a host that is not loopback, which would expose the client secret on the network; use https://"
            : null;
    }
}
