namespace StudioToken.TestServer;

internal sealed class TokenRequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
