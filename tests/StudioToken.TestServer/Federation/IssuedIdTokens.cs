namespace StudioToken.TestServer.Federation;

// Every ID token the issuer handed out, so tests can count them and scan output for each.
internal sealed class IssuedIdTokens
{
    private readonly List<string> _tokens = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tokens.Count;
            }
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock)
        {
            return [.. _tokens];
        }
    }

    public void Add(string token)
    {
        lock (_lock)
        {
            _tokens.Add(token);
        }
    }
}
