using System.Net;
using System.Net.Sockets;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>
/// A port on 127.0.0.1 that refuses connections: bound, so nothing else can take it while the test runs, but not
/// listening, so a connect is answered with a reset at once.
/// </summary>
internal sealed class ClosedLoopbackPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedLoopbackPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    public void Dispose() => _socket.Dispose();
}
