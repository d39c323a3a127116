using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.GitHub.Docker;

/// <summary>A Docker Engine API failure, with the daemon's own message.</summary>
public sealed class DockerEngineException(string message) : Exception(message);

/// <summary>
/// The handful of Docker Engine API calls the action needs, over the unix socket the runner mounts into every
/// container action. Paths carry no API version, so the daemon answers in its own: old and new engines both work.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string DefaultSocket = "/var/run/docker.sock";

    private readonly HttpClient _http;

    public DockerEngine(string socketPath = DefaultSocket)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string SocketPath { get; }

    /// <summary>Whether a Docker socket is there to talk to (not under container hooks or Kubernetes runners).</summary>
    public static bool IsAvailable(string socketPath = DefaultSocket)
    {
        // A connect is the only true test: File.Exists is false for sockets, and a socket file may have no daemon.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary><c>GET /containers/{id}/json</c>; null when there is no such container.</summary>
    public async Task<JObject?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"containers/{Uri.EscapeDataString(id)}/json", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadObjectAsync(response, "inspect container", cancellationToken);
    }

    /// <summary><c>POST /containers/create</c>; returns the new container's id.</summary>
    public async Task<string> CreateContainerAsync(JObject spec, string? name, CancellationToken cancellationToken)
    {
        var path = name is null ? "containers/create" : $"containers/create?name={Uri.EscapeDataString(name)}";
        using var content = new StringContent(spec.ToString(Formatting.None), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content, cancellationToken);
        var created = await ReadObjectAsync(response, "create container", cancellationToken);
        return (string?)created["Id"] ?? throw new DockerEngineException("create container: the engine returned no Id");
    }

    /// <summary><c>PUT /containers/{id}/archive</c>: unpacks a tar into a created container, e.g. a secret that must not appear in its configuration.</summary>
    public async Task PutArchiveAsync(string id, string path, byte[] tar, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await _http.PutAsync($"containers/{Uri.EscapeDataString(id)}/archive?path={Uri.EscapeDataString(path)}", content, cancellationToken);
        await EnsureSuccessAsync(response, "copy into container", cancellationToken);
    }

    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"containers/{Uri.EscapeDataString(id)}/start", null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotModified)
        {
            await EnsureSuccessAsync(response, "start container", cancellationToken);
        }
    }

    /// <summary>Stops a container (SIGTERM, then SIGKILL after <paramref name="grace"/>); false if it was not there.</summary>
    public async Task<bool> StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"containers/{Uri.EscapeDataString(id)}/stop?t={(int)grace.TotalSeconds}", null, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound)
        {
            return false;
        }

        if (response.StatusCode is not HttpStatusCode.NotModified)
        {
            await EnsureSuccessAsync(response, "stop container", cancellationToken);
        }

        return true;
    }

    /// <summary>Removes a container, running or not; false if it was already gone.</summary>
    public async Task<bool> RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"containers/{Uri.EscapeDataString(id)}?force=true", cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // 409: removal already in progress (AutoRemove after stop).
            return false;
        }

        await EnsureSuccessAsync(response, "remove container", cancellationToken);
        return true;
    }

    /// <summary>Ids of containers, running or not, that carry <paramref name="label"/> (<c>key</c> or <c>key=value</c>).</summary>
    public async Task<IReadOnlyList<string>> ListContainersAsync(string label, CancellationToken cancellationToken)
    {
        var filters = new JObject { ["label"] = new JArray(label) }.ToString(Formatting.None);
        using var response = await _http.GetAsync($"containers/json?all=true&filters={Uri.EscapeDataString(filters)}", cancellationToken);
        await EnsureSuccessAsync(response, "list containers", cancellationToken);
        var list = JArray.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return list.Select(item => (string?)item["Id"]).OfType<string>().ToList();
    }

    /// <summary>
    /// <c>GET /containers/{id}/logs</c> of a container started without a TTY: the engine frames each chunk with an
    /// 8-byte header (stream, 0, 0, 0, big-endian length), which is taken off here.
    /// </summary>
    public async Task<string> GetLogsAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"containers/{Uri.EscapeDataString(id)}/logs?stdout=true&stderr=true", cancellationToken);
        await EnsureSuccessAsync(response, "read container logs", cancellationToken);
        var raw = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var text = new StringBuilder();
        for (var offset = 0; offset + 8 <= raw.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(offset + 4, 4));
            if (length < 0 || offset + 8 + length > raw.Length)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(raw, offset + 8, length));
            offset += 8 + length;
        }

        return text.ToString();
    }

    public void Dispose() => _http.Dispose();

    private static async Task<JObject> ReadObjectAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, what, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return JObject.Parse(text);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? message = null;
        try
        {
            message = (string?)JObject.Parse(body)["message"];
        }
        catch (JsonException)
        {
            // Not the engine's JSON error shape; the status says enough.
        }

        throw new DockerEngineException($"{what}: Docker answered {(int)response.StatusCode}{(message is null ? string.Empty : ": " + message.ReplaceLineEndings(" "))}");
    }
}
