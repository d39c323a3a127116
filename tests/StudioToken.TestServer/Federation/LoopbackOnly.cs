namespace StudioToken.TestServer.Federation;

// The federation rig talks to 127.0.0.1 only: a misconfigured test must fail, never fetch from the network.
internal static class LoopbackOnly
{
    public static void Ensure(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Host != "127.0.0.1")
        {
            throw new ArgumentException($"{what} must be http://127.0.0.1:PORT/..., not {url}");
        }
    }
}
