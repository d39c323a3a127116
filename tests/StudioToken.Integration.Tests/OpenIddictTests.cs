using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Core.OAuth;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>The CLI against an independently written OAuth server (OpenIddict) on 127.0.0.1.</summary>
public sealed class OpenIddictTests
{
    [Test]
    public async Task Fetch_with_client_secret_basic_and_a_secret_that_needs_form_encoding_gets_a_token()
    {
        var run = await CliHarness.RunAsync(["fetch", "--output", "json", "--include-token"], OpenIddictServer.EnvironmentFor(TestClient.DefaultBasic));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var response = JObject.Parse(run.Output);
        Assert.That((string?)response["access_token"], Is.Not.Empty);
        // Remaining life when printed: 4-second tokens on a loaded machine may have lost a second or two by then.
        Assert.That((long)response["expires_in"]!, Is.InRange(0, OpenIddictServer.AccessTokenLifetime.TotalSeconds));
        SecretScan.AssertAbsent(run.AllText, TestClient.DefaultBasic.ClientSecret, "the client secret");
    }

    [Test]
    public async Task Fetch_with_client_secret_post_gets_a_token_whose_subject_is_the_client()
    {
        var run = await CliHarness.RunAsync(["fetch"], OpenIddictServer.EnvironmentFor(TestClient.DefaultPost));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var claims = JObject.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(run.Output.Split('.')[1])));
        Assert.That((string?)claims["sub"], Is.EqualTo(TestClient.DefaultPost.ClientId));
    }

    [Test]
    public async Task A_wrong_secret_exits_2_naming_invalid_client_and_prints_no_secret()
    {
        var environment = OpenIddictServer.EnvironmentFor(TestClient.DefaultBasic);
        environment["STUDIO_CLIENT_SECRET"] = "not-the-secret \u00e6";

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("invalid_client"));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, even for OpenIddict's multi-line error bodies");
        SecretScan.AssertAbsent(run.AllText, "not-the-secret \u00e6", "the wrong secret");
        SecretScan.AssertAbsent(run.AllText, TestClient.DefaultBasic.ClientSecret, "the real secret");
    }

    [Test]
    public async Task A_scope_the_client_is_not_allowed_exits_2_naming_invalid_scope()
    {
        var environment = OpenIddictServer.EnvironmentFor(TestClient.DefaultPost);
        environment["STUDIO_SCOPE"] = TestScopes.Read;

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("invalid_scope"));
    }

    [Test]
    public async Task A_rejected_client_is_asked_once_not_hammered()
    {
        var environment = OpenIddictServer.EnvironmentFor(TestClient.DefaultPost);
        environment["STUDIO_CLIENT_SECRET"] = "wrong";
        var before = OpenIddictServer.Instance.TokenRequestCount;

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(OpenIddictServer.Instance.TokenRequestCount - before, Is.EqualTo(1));
    }

    /// <summary>
    /// End to end with real time: tokens live 4 s, the refresher renews them every ~2 s for 11 s, and a reader in a
    /// tight loop checks every token it reads by the token's own signed <c>exp</c>.
    /// </summary>
    [Test]
    [Category("EndToEnd")]
    [CancelAfter(60_000)]
    public async Task Refresh_rotates_the_directory_while_a_reader_never_sees_an_expired_empty_or_torn_token(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N"));
        try
        {
            var refreshing = CliHarness.RunAsync(["refresh", "--token-dir", directory, "--max-lifetime", "11s"], OpenIddictServer.EnvironmentFor(TestClient.DefaultBasic), cancellationToken: cancellationToken);
            var reads = await ReadWhileRunningAsync(directory, refreshing);
            var run = await refreshing;

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("stopped (max-lifetime reached)"));
            Assert.That(reads.Bad, Is.Empty, "every read must be a whole, unexpired token");
            Assert.That(reads.Distinct.Count, Is.GreaterThanOrEqualTo(4), $"expected several rotations in 11 s of 4-second tokens; {run}");
            Assert.That(reads.Count, Is.GreaterThan(100));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<ReadLog> ReadWhileRunningAsync(string directory, Task running)
    {
        var log = new ReadLog();
        var tokenFile = Path.Combine(directory, "token");
        while (!running.IsCompleted)
        {
            if (!File.Exists(tokenFile))
            {
                await Task.Yield();
                continue;
            }

            var token = await File.ReadAllTextAsync(tokenFile);
            var now = DateTimeOffset.UtcNow;
            log.Count++;
            var exp = Core.Tokens.JwtExpiry.TryRead(token);
            if (token.Length == 0 || !BearerTokenSyntax.IsB64Token(token) || exp is null)
            {
                log.Bad.Add($"torn or empty read ({token.Length} chars)");
            }
            else if (exp <= now)
            {
                log.Bad.Add($"expired token read at {now:O} (exp {exp:O})");
            }

            log.Distinct.Add(token);
        }

        return log;
    }

    private sealed class ReadLog
    {
        public int Count { get; set; }

        public List<string> Bad { get; } = [];

        public HashSet<string> Distinct { get; } = [];
    }
}
