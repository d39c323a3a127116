using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StudioToken.LocalEndpoint.Internal;

namespace StudioToken.LocalEndpoint;

/// <summary>
/// A real OAuth 2.0 client-credentials token endpoint on 127.0.0.1, for the demo and as a test fixture that can
/// misbehave on demand. It speaks just enough HTTP/1.1 over a raw socket to control faults down to a TCP reset.
/// </summary>
public sealed class LocalTokenEndpoint : IAsyncDisposable
{
    /// <summary>Largest request body read; larger ones are answered 413 unread.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    // How much of a rejected body is read away before closing, so the close does not reset the connection.
    private const long MaxDiscardBytes = 16 * 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly TokenIssuer _issuer;
    private readonly TokenRequestHandler _handler;
    private readonly string _path;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<EndpointFault> _faults = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource<RecordedRequest> Completion)> _waiters = [];
    private readonly HashSet<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    private LocalTokenEndpoint(LocalEndpointOptions options, TcpListener listener)
    {
        _listener = listener;
        _path = options.Path;
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var baseUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        TokenUrl = new Uri(baseUrl + options.Path);
        _issuer = new TokenIssuer(baseUrl, options.TimeProvider);
        _handler = new TokenRequestHandler(options, _issuer);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where clients post token requests, e.g. <c>http://127.0.0.1:41234/api/v2/oauth/token</c>.</summary>
    public Uri TokenUrl { get; }

    /// <summary>The public signing key as a JWK (with <c>kid</c>), so tokens can be verified.</summary>
    public string PublicKeyJwk => _issuer.PublicKeyJwk;

    /// <summary>Requests to the token path so far, including faulted and rejected ones.</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Access tokens issued so far.</summary>
    public int TokensIssued => _handler.TokensIssued;

    /// <summary>A snapshot of the requests to the token path, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts listening on an ephemeral loopback port; connections are accepted once this returns.</summary>
    public static LocalTokenEndpoint Start(LocalEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new LocalTokenEndpoint(options, listener);
    }

    /// <summary>Queues a fault for a later token request; each request consumes one, first in first out.</summary>
    public void EnqueueFault(EndpointFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _faults.Enqueue(fault);
    }

    /// <summary>Completes with the <paramref name="count"/>-th token request once it has been read, so tests need not poll or sleep.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TaskCompletionSource<RecordedRequest> completion;
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.FromResult(_requests[count - 1]);
            }

            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            completion = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, completion));
        }

        return completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops listening, ends every connection (hanging ones included) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;

        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
            foreach (var (_, completion) in _waiters)
            {
                completion.TrySetCanceled();
            }

            _waiters.Clear();
        }

        try
        {
            await Task.WhenAll(connections);
        }
        finally
        {
            _stopping.Dispose();
            _issuer.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (_stopping.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that gave up before we accepted it is no reason to stop listening.
                continue;
            }

            Track(Task.Run(() => ServeAsync(socket)));
        }
    }

    private void Track(Task connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }

        // Faulted connections stay tracked so DisposeAsync surfaces the exception instead of losing it.
        _ = connection.ContinueWith(
            (finished, state) =>
            {
                var endpoint = (LocalTokenEndpoint)state!;
                lock (endpoint._gate)
                {
                    endpoint._connections.Remove(finished);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ServeAsync(Socket socket)
    {
        var cancellationToken = _stopping.Token;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new HttpRequestReader(stream);
            var head = await reader.ReadHeadAsync(cancellationToken);
            if (head is null)
            {
                return;
            }

            var isTokenPath = string.Equals(head.Path, _path, StringComparison.Ordinal);
            if (head.Header("Transfer-Encoding") is not null)
            {
                // RFC 9112 §6.1: a server that does not understand a transfer coding answers 501.
                await HttpResponseWriter.WriteAsync(stream, HttpResponse.Text(501, "Send the body with Content-Length."), cancellationToken);
                await reader.DiscardInputAsync(MaxDiscardBytes, cancellationToken);
                return;
            }

            if (head.ContentLength > MaxBodyBytes)
            {
                if (isTokenPath)
                {
                    Record(ToRecordedRequest(head, []));
                }

                await HttpResponseWriter.WriteAsync(stream, HttpResponse.Text(413, "The request body is larger than 64 KiB."), cancellationToken);
                await reader.DiscardInputAsync(Math.Min(head.ContentLength, MaxDiscardBytes), cancellationToken);
                return;
            }

            if (string.Equals(head.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await HttpResponseWriter.WriteContinueAsync(stream, cancellationToken);
            }

            var body = await reader.ReadBodyAsync((int)head.ContentLength, cancellationToken);
            if (body is null)
            {
                return;
            }

            if (!isTokenPath)
            {
                await HttpResponseWriter.WriteAsync(stream, HttpResponse.Text(404, "Not found."), cancellationToken);
                return;
            }

            var request = ToRecordedRequest(head, body);
            Record(request);
            var response = _faults.TryDequeue(out var fault)
                ? FaultResponder.ActAsync(fault, socket, stream, reader, cancellationToken)
                : HttpResponseWriter.WriteAsync(stream, _handler.Handle(request), cancellationToken);
            await response;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the endpoint is stopping: either way there is nobody left to answer.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static RecordedRequest ToRecordedRequest(HttpRequestHead head, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var form = FormUrlEncoded.IsFormContentType(head.Header("Content-Type")) ? FormUrlEncoded.Parse(text) : [];
        return new RecordedRequest(head.Method, head.Target, head.Headers, text, form);
    }

    private void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            var count = _requests.Count;
            _waiters.RemoveAll(waiter =>
            {
                if (waiter.Count > count)
                {
                    return false;
                }

                waiter.Completion.TrySetResult(_requests[waiter.Count - 1]);
                return true;
            });
        }
    }
}
