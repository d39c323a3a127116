using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using StudioToken.TestServer;

namespace StudioToken.TestServer.Tests;

// End to end: the server as CI scripts and benchmarks run it, a separate process driven by stdout and signals.
[TestFixture]
[Category("EndToEnd")]
public sealed class ProcessModeTests
{
    private static readonly int[] AcceptedAcceptedBadScopeBadSecret = [200, 200, 400, 401];

    [Test]
    [CancelAfter(120_000)]
    public async Task Prints_one_listening_line_serves_tokens_never_prints_secrets_and_exits_cleanly_on_SIGTERM(CancellationToken ct)
    {
        using var server = StartServerProcess("--port", "0", "--lifetime", "120");
        var stderr = server.StandardError.ReadToEndAsync(ct);
        string? token;
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(ct);
            Assert.That(line, Does.Match(@"^listening http://127\.0\.0\.1:\d+/api/v2/oauth/token$"));
            token = await ExerciseAsync(new Uri(line!["listening ".Length..]));
        }
        finally
        {
            await SendSigtermAsync(server, ct);
        }

        await server.WaitForExitAsync(ct);
        var rest = await server.StandardOutput.ReadToEndAsync(ct);
        var printed = rest + await stderr;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.ExitCode, Is.Zero);
            Assert.That(rest, Is.Empty, "stdout holds only the listening line");
            Assert.That(printed, Does.Not.Contain(TestClient.DefaultBasic.ClientSecret));
            Assert.That(printed, Does.Not.Contain(Uri.EscapeDataString(TestClient.DefaultBasic.ClientSecret)));
            Assert.That(printed, Does.Not.Contain(TestClient.DefaultPost.ClientSecret));
            Assert.That(printed, Does.Not.Contain(token));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    [Platform("Linux")]
    [SupportedOSPlatform("linux")]
    public async Task With_write_client_key_writes_an_owner_only_private_key_whose_assertions_get_tokens_for_key_client(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("studio-token-server-");
        var keyFile = Path.Combine(directory.FullName, "client-key.pem");
        using var server = StartServerProcess("--write-client-key", keyFile, "--lifetime", "120");
        var stderr = server.StandardError.ReadToEndAsync(ct);
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(ct);
            Assert.That(line, Does.StartWith("listening "));
            var tokenUrl = new Uri(line!["listening ".Length..]);
            using var key = ECDsa.Create();
            key.ImportFromPem(await File.ReadAllTextAsync(keyFile, ct));
            using var http = new HttpClient();
            using var request = OAuthRequests.TokenWithAssertion(tokenUrl, "key-client", key, new Uri(tokenUrl, "/"));

            var response = await OAuthResponse.SendAsync(http, request);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
                Assert.That(response.Status, Is.EqualTo(200));
            }
        }
        finally
        {
            await SendSigtermAsync(server, ct);
            await server.WaitForExitAsync(ct);
            await stderr;
            directory.Delete(recursive: true);
        }
    }

    // One accepted and one rejected request per auth style: rejections are where a server is tempted to log details.
    private static async Task<string> ExerciseAsync(Uri tokenUrl)
    {
        using var http = new HttpClient();
        using var basic = OAuthRequests.Token(tokenUrl, TestClient.DefaultBasic, TestScopes.Script);
        using var post = OAuthRequests.Token(tokenUrl, TestClient.DefaultPost, TestScopes.Script);
        using var wrongScope = OAuthRequests.Token(tokenUrl, TestClient.DefaultBasic, TestScopes.Read);
        using var wrongSecret = OAuthRequests.Token(tokenUrl, TestClient.DefaultPost with { ClientSecret = "wrong" });

        var issued = await OAuthResponse.SendAsync(http, basic);
        var statuses = new[]
        {
            issued.Status,
            (await OAuthResponse.SendAsync(http, post)).Status,
            (await OAuthResponse.SendAsync(http, wrongScope)).Status,
            (await OAuthResponse.SendAsync(http, wrongSecret)).Status,
        };

        Assert.That(statuses, Is.EqualTo(AcceptedAcceptedBadScopeBadSecret));
        return issued.String("access_token")!;
    }

    private static Process StartServerProcess(params string[] args)
    {
        // The referenced project's dll, runtimeconfig and deps are copied next to the test assembly.
        var serverDll = typeof(OpenIddictTestServer).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    // Process.Kill sends SIGKILL, which would skip the graceful shutdown this test is about.
    private static async Task SendSigtermAsync(Process server, CancellationToken ct)
    {
        if (server.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(ct);
    }
}
