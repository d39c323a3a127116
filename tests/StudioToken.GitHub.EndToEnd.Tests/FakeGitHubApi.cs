using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// Stands in for the GitHub REST API on 127.0.0.1: answers the jobs of a run attempt with one job on the e2e runner,
/// in the state the test sets, and records the Authorization header it was sent.
/// </summary>
public sealed class FakeGitHubApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakeGitHubApi()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public string JobStatus { get; set; } = "in_progress";

    public int Requests { get; private set; }

    /// <summary>Polls answered 304 because the caller sent the ETag it had: the cheap, conditional kind.</summary>
    public int NotModified { get; private set; }

    public string? LastAuthorization { get; private set; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            LastAuthorization = context.Request.Headers["Authorization"];
            var etag = $"\"{JobStatus}\"";
            context.Response.AddHeader("ETag", etag);
            if (context.Request.Headers["If-None-Match"] == etag)
            {
                NotModified++;
                context.Response.StatusCode = 304;
                context.Response.Close();
                continue;
            }

            var conclusion = JobStatus == "completed" ? "\"success\"" : "null";
            var body = Encoding.UTF8.GetBytes($$"""{"total_count":1,"jobs":[{"id":7,"run_id":4242,"name":"deploy","status":"{{JobStatus}}","conclusion":{{conclusion}},"runner_name":"e2e-runner","steps":[]}]}""");
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
