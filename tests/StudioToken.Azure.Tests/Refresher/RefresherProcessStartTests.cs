using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.Testing;

namespace StudioToken.Azure.Tests.Refresher;

/// <summary>
/// The real refresher process: this test assembly's output holds <c>studio-token.dll</c>, so
/// <see cref="RefresherProcess.Start"/> starts <c>dotnet studio-token.dll azure-refresher</c> as the task would. It
/// resumes from a token directory with an hour left, so it sends nothing before the test stops it. What the test
/// waits on is the process itself (its log, its end), never the wall clock.
/// </summary>
[TestFixture]
[Platform("Linux")]
[NonParallelizable] // it sets the agent's variables in this process's own environment, which the refresher inherits
[CancelAfter(60_000)]
public sealed class RefresherProcessStartTests
{
    private const string ClientSecret = "refresher-secret-%;]Ω";
    private const string ResumedToken = "resumed-token-abc.def";
    private const string JobAccessToken = "job-access-token-%;]Zz9";
    private const string AzureConnection = "3f2c9d4e-7b1a-4c2e-8d90-0a1b2c3d4e5f";

    /// <summary>What the agent puts in a task step's environment that the refresher must not get.</summary>
    private static readonly Dictionary<string, string> Withheld = new(StringComparer.Ordinal)
    {
        ["INPUT_CLIENTSECRET"] = ClientSecret,
        ["ENDPOINT_AUTH_PARAMETER_6F1C3B9E_PASSWORD"] = "connection-password-1",
        ["SECRET_STUDIO_CLIENT_SECRET"] = "secret-variable-2",
        ["SYSTEM_ACCESSTOKEN"] = "job-access-token-3",
        ["VSTS_TASKVARIABLE_STUDIOTOKENDIR"] = "/somewhere",
        ["STUDIO_CLIENT_SECRET"] = "stray-studio-secret-4",
        ["TF_BUILD"] = "True",
    };

    private const string LookupId = "vsts_0b8c7a9e-1111-2222-3333-444455556666";

    private TemporaryDirectory _temp = null!;
    private ClosedLoopbackPort _endpoint = null!;
    private Dictionary<string, string?> _saved = null!;
    private int? _refresherPid;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _endpoint = new ClosedLoopbackPort();
        _saved = Withheld.Keys.Append("VSTS_PROCESS_LOOKUP_ID").ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in Withheld)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Environment.SetEnvironmentVariable("VSTS_PROCESS_LOOKUP_ID", LookupId);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        // A failed test may leave the refresher running: it is this test's child, so the pid is still its own.
        if (_refresherPid is { } pid)
        {
            try
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        _endpoint.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task Starts_a_detached_refresher_that_gets_its_secret_on_standard_input_only_and_stops_on_SIGTERM(CancellationToken cancellationToken)
    {
        var tokenDir = _temp.Combine("tokens");
        PublishUnexpiredToken(tokenDir);
        var logFile = Path.Combine(tokenDir, RefresherProcess.LogFileName);
        var launcher = new RefresherProcess(TimeProvider.System);

        var handle = launcher.Start(Settings(), tokenDir);
        _refresherPid = handle.ProcessId;

        var arguments = await ArgumentsOfAsync(handle.ProcessId, cancellationToken);
        var environment = await EnvironmentOfAsync(handle.ProcessId, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(arguments[^1], Is.EqualTo(RefresherProcess.Verb));
            Assert.That(string.Join(' ', arguments), Does.Not.Contain(ClientSecret), "the secret is not on the command line");
            Assert.That(environment.Keys, Has.None.StartWith("INPUT_").And.None.StartWith("ENDPOINT_").And.None.StartWith("SECRET_").And.None.StartWith("VSTS_TASKVARIABLE_"));
            Assert.That(environment.Keys, Has.None.EqualTo("SYSTEM_ACCESSTOKEN").And.None.EqualTo("TF_BUILD").And.None.EqualTo("STUDIO_CLIENT_SECRET"));
            Assert.That(environment.Values, Has.None.Contains(ClientSecret), "the secret is not in the environment");
            Assert.That(environment.GetValueOrDefault("VSTS_PROCESS_LOOKUP_ID"), Is.EqualTo(LookupId), "the agent's job-end cleanup must still find it");
            Assert.That(environment.GetValueOrDefault("STUDIO_TOKEN_DIR"), Is.EqualTo(tokenDir));
            Assert.That(environment.GetValueOrDefault("STUDIO_TOKEN_URL"), Is.EqualTo(_endpoint.Url("token").AbsoluteUri));
            Assert.That(environment.GetValueOrDefault(RefresherProcess.LogVariable), Is.EqualTo(logFile));
        });

        var log = await WaitForLogLineAsync(logFile, "resuming generation 1", cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(SessionOf(handle.ProcessId), Is.EqualTo(handle.ProcessId), "a session of its own");
            Assert.That(new FileInfo($"/proc/{handle.ProcessId}/fd/1").LinkTarget, Is.EqualTo(logFile), "standard output on the log, off the task's pipe");
            Assert.That(new FileInfo($"/proc/{handle.ProcessId}/fd/2").LinkTarget, Is.EqualTo(logFile), "standard error on the log, off the task's pipe");
            Assert.That(File.GetUnixFileMode(logFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });

        var stopped = await launcher.StopAsync(handle, cancellationToken);

        Assert.That(stopped, Is.EqualTo("stopped"), log);
        log = await File.ReadAllTextAsync(logFile, cancellationToken);
        // Its own "stopped (told to stop)" line is not asserted: a SIGTERM this soon after start can arrive before the
        // command line library has registered its handler (after the action's synchronous start, which already logged
        // "resuming"), and then the signal's default ends the process, just as stopped, without that line.
        Assert.That(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.Contain("resuming generation 1").Or.Contain("stopped (told to stop)"));
        SecretScan.AssertAbsent(log, ClientSecret, "the client secret");
        SecretScan.AssertAbsent(log, ResumedToken, "the token");
        Assert.That(log, Does.Not.Contain("##vso["), "without TF_BUILD the refresher writes no logging commands nobody reads");
    }

    [TestCase("private_key_jwt")]
    [TestCase("azure_oidc")]
    public async Task Hands_the_key_or_the_jobs_access_token_over_on_standard_input_only(string method, CancellationToken cancellationToken)
    {
        var tokenDir = _temp.Combine("tokens");
        PublishUnexpiredToken(tokenDir);
        var logFile = Path.Combine(tokenDir, RefresherProcess.LogFileName);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPem = ecdsa.ExportPkcs8PrivateKeyPem();
        var secrets = method == "private_key_jwt"
            ? keyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)).ToList()
            : [JobAccessToken];
        var inputs = new Dictionary<string, string>
        {
            ["INPUT_TOKENURL"] = _endpoint.Url("token").AbsoluteUri,
            ["INPUT_CLIENTID"] = "refresher-client",
            ["INPUT_CLIENTAUTH"] = method,
            ["INPUT_PRIVATEKEY"] = method == "private_key_jwt" ? keyPem : string.Empty,
            ["INPUT_OIDCSERVICECONNECTION"] = method == "azure_oidc" ? AzureConnection : string.Empty,
            ["ENDPOINT_URL_" + AzureConnection] = "https://management.azure.com/",
            ["SYSTEM_OIDCREQUESTURI"] = _endpoint.Url("oidctoken").AbsoluteUri,
            ["SYSTEM_ACCESSTOKEN"] = JobAccessToken,
            ["INPUT_MAXLIFETIME"] = "5m",
        };
        var settings = new TaskInputs(name => inputs.GetValueOrDefault(name)).TryRead(out var errors);
        Assert.That(errors, Is.Empty);
        var launcher = new RefresherProcess(TimeProvider.System);

        var handle = launcher.Start(settings!, tokenDir);
        _refresherPid = handle.ProcessId;

        var arguments = string.Join(' ', await ArgumentsOfAsync(handle.ProcessId, cancellationToken));
        var environment = await EnvironmentOfAsync(handle.ProcessId, cancellationToken);
        var everything = arguments + "\n" + string.Join('\n', environment.Select(pair => $"{pair.Key}={pair.Value}"));
        secrets.ForEach(secret => SecretScan.AssertAbsent(everything, secret, "the refresher's command line and environment"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.GetValueOrDefault("STUDIO_CLIENT_AUTH"), Is.EqualTo(method));
            Assert.That(environment.Keys, Has.None.EqualTo("SYSTEM_ACCESSTOKEN").And.None.EqualTo("STUDIO_PRIVATE_KEY").And.None.EqualTo("STUDIO_CLIENT_SECRET"));
            if (method == "azure_oidc")
            {
                Assert.That(environment.GetValueOrDefault("STUDIO_AZURE_SERVICE_CONNECTION_ID"), Is.EqualTo(AzureConnection));
                Assert.That(environment.GetValueOrDefault("SYSTEM_OIDCREQUESTURI"), Is.EqualTo(_endpoint.Url("oidctoken").AbsoluteUri));
            }
        }

        // Resuming means the refresher's settings were complete: without the key or the access token it stops at once.
        var log = await WaitForLogLineAsync(logFile, "resuming generation 1", cancellationToken);
        Assert.That(await launcher.StopAsync(handle, cancellationToken), Is.EqualTo("stopped"), log);
        log = await File.ReadAllTextAsync(logFile, cancellationToken);
        secrets.ForEach(secret => SecretScan.AssertAbsent(log, secret, "the refresher's log"));
    }

    private static async Task<string[]> ArgumentsOfAsync(int processId, CancellationToken cancellationToken) =>
        (await File.ReadAllTextAsync($"/proc/{processId}/cmdline", cancellationToken)).TrimEnd('\0').Split('\0');

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(int processId, CancellationToken cancellationToken) =>
        (await File.ReadAllTextAsync($"/proc/{processId}/environ", cancellationToken)).TrimEnd('\0').Split('\0')
            .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.Ordinal);

    private TaskSettings Settings()
    {
        var inputs = new Dictionary<string, string>
        {
            ["INPUT_TOKENURL"] = _endpoint.Url("token").AbsoluteUri,
            ["INPUT_CLIENTID"] = "refresher-client",
            ["INPUT_CLIENTSECRET"] = ClientSecret,
            ["INPUT_SCOPE"] = "studio:script",
            ["INPUT_MAXLIFETIME"] = "5m",
        };
        var settings = new TaskInputs(name => inputs.GetValueOrDefault(name)).TryRead(out var errors);
        Assert.That(errors, Is.Empty);
        return settings!;
    }

    /// <summary>What the main step leaves: a token with an hour left by the clock the refresher will read.</summary>
    private void PublishUnexpiredToken(string tokenDir)
    {
        var now = TimeProvider.System.GetUtcNow();
        var publisher = new TokenPublisher(new TokenDirectoryWriter(tokenDir), _endpoint.Url("token"), TimeProvider.System);
        publisher.Prepare();
        publisher.Publish(new AccessToken(new Secret(ResumedToken), "Bearer", "studio:script", now, now.AddHours(1), now.AddMinutes(30)));
    }

    /// <summary>Waits for the refresher to write <paramref name="text"/>, woken by the file system, not by a timer.</summary>
    private static async Task<string> WaitForLogLineAsync(string logFile, string text, CancellationToken cancellationToken)
    {
        var changed = Channel.CreateUnbounded<bool>();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(logFile)!, Path.GetFileName(logFile))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
        };
        watcher.Changed += (_, _) => changed.Writer.TryWrite(true);
        watcher.Created += (_, _) => changed.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        while (true)
        {
            var content = File.Exists(logFile) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(logFile, cancellationToken)) : string.Empty;
            if (content.Contains(text, StringComparison.Ordinal))
            {
                return content;
            }

            await changed.Reader.ReadAsync(cancellationToken);
        }
    }

    private static int SessionOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
