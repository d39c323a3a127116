using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Runner;

/// <summary>
/// The sh reader against token directories written by the real publisher. The script reads the wall clock
/// (<c>date +%s</c>), so tokens here live hours, or expired years ago, or sit 30 s either side of a --min-valid:
/// far from any boundary a slow machine could cross. Every run returns at once: the token is valid or --wait is 0.
/// </summary>
[TestFixture]
[Platform("Linux")]
public sealed class HostReaderTests
{
    private const string TokenValue = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln-_~+/=";
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private TemporaryDirectory _temp = null!;
    private string _tokenDir = null!;
    private string _script = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _tokenDir = _temp.Combine("studio-token", "get-token-a1b2c3");
        Directory.CreateDirectory(Path.GetDirectoryName(_tokenDir)!);
        new TokenDirectoryWriter(_tokenDir).Prepare();
        _script = Path.Combine(HostReader.Install(_tokenDir, owner: null), HostReader.FileName);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Publishes a token that has <paramref name="remaining"/> life left by the wall clock the script reads.</summary>
    private TokenPublisher Publish(TimeSpan remaining, string value = TokenValue)
    {
        var now = TimeProvider.System.GetUtcNow();
        var lifetime = TimeSpan.FromHours(1);
        var issuedAt = now + remaining - lifetime;
        var time = new FakeTimeProvider(issuedAt);
        var publisher = new TokenPublisher(new TokenDirectoryWriter(_tokenDir), TokenUrl, time);
        publisher.Prepare();
        publisher.Publish(new AccessToken(new Secret(value), "Bearer", "studio:script", issuedAt, issuedAt + lifetime, issuedAt + (lifetime / 2)));
        return publisher;
    }

    private Task<ProcessResult> Get(params string[] arguments) => ShellRun.RunAsync(_script, ["get", .. arguments]);

    private Task<ProcessResult> Get(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ShellRun.RunAsync(_script, ["get", .. arguments], environment);

    [Test]
    public void Install_writes_the_script_into_bin_as_an_owner_executable_file()
    {
        var mode = File.GetUnixFileMode(_script);

        Assert.Multiple(() =>
        {
            Assert.That(_script, Is.EqualTo(Path.Combine(_tokenDir, "bin", "studio-token")));
            Assert.That(File.ReadAllText(_script), Does.StartWith("#!/bin/sh\n"));
            Assert.That(mode & (UnixFileMode.UserRead | UnixFileMode.UserExecute), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserExecute));
            Assert.That(mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite), Is.EqualTo(UnixFileMode.None), "nobody else may rewrite a script on PATH");
        });
    }

    [Test]
    public void Install_again_replaces_the_script()
    {
        File.WriteAllText(_script, "#!/bin/sh\necho stale\n");

        HostReader.Install(_tokenDir, owner: null);

        Assert.That(File.ReadAllText(_script), Does.Not.Contain("echo stale"));
    }

    [Test]
    public async Task Get_prints_the_token_without_a_newline_and_exits_0()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get("--token-dir", _tokenDir);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.StandardOutput, Is.EqualTo(TokenValue));
            Assert.That(result.StandardError, Is.Empty);
        });
    }

    [Test]
    public async Task Get_accepts_token_dir_with_an_equals_sign()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get($"--token-dir={_tokenDir}");

        Assert.That(result.StandardOutput, Is.EqualTo(TokenValue), result.ToString());
    }

    [Test]
    public async Task Get_prints_the_current_token_after_a_rotation()
    {
        var publisher = Publish(TimeSpan.FromHours(2), "first-token");
        var now = TimeProvider.System.GetUtcNow();
        publisher.Publish(new AccessToken(new Secret("second-token"), "Bearer", null, now, now.AddHours(3), now.AddHours(1.5)));

        var result = await Get("--token-dir", _tokenDir);

        Assert.That(result.StandardOutput, Is.EqualTo("second-token"), result.ToString());
    }

    [Test]
    public async Task In_GitHub_Actions_registers_the_token_as_a_mask_on_standard_error_first()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }, "--token-dir", _tokenDir);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.StandardError, Is.EqualTo($"::add-mask::{TokenValue}\n"));
            Assert.That(result.StandardOutput, Is.EqualTo(TokenValue));
        });
    }

    [TestCase("True")]
    [TestCase("true")]
    public async Task In_Azure_Pipelines_registers_the_token_as_a_secret_on_standard_error(string tfBuild)
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get(new Dictionary<string, string> { ["TF_BUILD"] = tfBuild }, "--token-dir", _tokenDir);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.StandardError, Is.EqualTo($"##vso[task.setsecret]{TokenValue}\n"));
            Assert.That(result.StandardOutput, Is.EqualTo(TokenValue));
        });
    }

    [Test]
    public async Task Outside_CI_registers_nothing()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "false", ["TF_BUILD"] = "False" }, "--token-dir", _tokenDir);

        Assert.That(result.StandardError, Is.Empty, result.ToString());
    }

    [Test]
    public async Task Finds_the_directory_through_STUDIO_TOKEN_FILE()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get(new Dictionary<string, string> { ["STUDIO_TOKEN_FILE"] = Path.Combine(_tokenDir, "token") });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.StandardOutput, Is.EqualTo(TokenValue));
        });
    }

    [Test]
    public async Task Token_dir_wins_over_STUDIO_TOKEN_FILE()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get(new Dictionary<string, string> { ["STUDIO_TOKEN_FILE"] = _temp.Combine("elsewhere", "token") }, "--token-dir", _tokenDir);

        Assert.That(result.StandardOutput, Is.EqualTo(TokenValue), result.ToString());
    }

    [TestCase("--wait", "0")]
    [TestCase]
    public async Task An_expired_token_exits_4_at_once_with_a_message(params string[] wait)
    {
        Publish(-TimeSpan.FromDays(3 * 365));

        var result = await Get(["--token-dir", _tokenDir, .. wait]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
            Assert.That(result.StandardOutput, Is.Empty, "an expired token is never printed");
            Assert.That(result.StandardError, Does.StartWith("studio-token: error: ").And.Contain("of life left").And.Contain(_tokenDir));
            Assert.That(result.StandardError, Does.Not.Contain(TokenValue));
        });
    }

    [Test]
    public async Task An_expired_token_reports_the_refreshers_last_error()
    {
        Publish(-TimeSpan.FromDays(3 * 365)).RecordFailure("token endpoint answered 401 invalid_client");

        var result = await Get("--token-dir", _tokenDir, "--wait", "0");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
            Assert.That(result.StandardError, Does.Contain("the refresher's last error: token endpoint answered 401 invalid_client"));
        });
    }

    [Test]
    public async Task Min_valid_longer_than_the_tokens_life_exits_4_naming_the_seconds()
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get("--token-dir", _tokenDir, "--min-valid", "10h", "--wait", "0");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Does.Contain("not more than the 36000s asked for"));
        });
    }

    [TestCase("90s", 90)]
    [TestCase("10m", 600)]
    [TestCase("1h30m", 5400)]
    [TestCase("45", 45)]
    [TestCase("2h", 7200)]
    [TestCase("1d", 86400)]
    public async Task Min_valid_parses_durations_as_the_CLI_writes_them(string duration, int seconds)
    {
        Publish(TimeSpan.FromSeconds(seconds) + Margin);
        var enough = await Get("--token-dir", _tokenDir, "--min-valid", duration, "--wait", "0");

        Publish(TimeSpan.FromSeconds(seconds) - Margin);
        var tooLittle = await Get("--token-dir", _tokenDir, "--min-valid", duration, "--wait", "0");

        Assert.Multiple(() =>
        {
            Assert.That(enough.ExitCode, Is.Zero, $"{Margin.TotalSeconds:0}s more life than {duration}: {enough}");
            Assert.That(enough.StandardOutput, Is.EqualTo(TokenValue));
            Assert.That(tooLittle.ExitCode, Is.EqualTo(4), $"{Margin.TotalSeconds:0}s less life than {duration}: {tooLittle}");
            Assert.That(tooLittle.StandardError, Does.Contain($"not more than the {seconds}s asked for"));
        });
    }

    [TestCase("--min-valid", "nonsense")]
    [TestCase("--min-valid", "10x")]
    [TestCase("--min-valid", "h")]
    [TestCase("--min-valid", "")]
    [TestCase("--min-valid", "-5m")]
    [TestCase("--wait", "soon")]
    public async Task A_bad_duration_exits_1(string option, string value)
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get("--token-dir", _tokenDir, option, value);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Does.Contain("is not a duration"));
        });
    }

    [TestCase("--bogus")]
    [TestCase("--token")]
    [TestCase("extra")]
    public async Task An_unknown_option_exits_1(string option)
    {
        Publish(TimeSpan.FromHours(2));

        var result = await Get("--token-dir", _tokenDir, option);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Does.Contain("unknown option"));
        });
    }

    [TestCase("--token-dir")]
    [TestCase("--min-valid")]
    [TestCase("--wait")]
    public async Task An_option_without_its_value_exits_1(string option)
    {
        var result = await Get(option);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
    }

    [TestCase]
    [TestCase("fetch")]
    [TestCase("refresh")]
    public async Task A_command_other_than_get_exits_1(params string[] command)
    {
        var result = await ShellRun.RunAsync(_script, command);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError, Does.Contain("only knows 'get'"));
        });
    }

    [Test]
    public async Task Without_a_directory_or_STUDIO_TOKEN_FILE_exits_1()
    {
        var result = await Get();

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError, Does.Contain("STUDIO_TOKEN_FILE"));
        });
    }

    [Test]
    public async Task A_missing_directory_exits_4_saying_there_is_no_token_directory()
    {
        var missing = _temp.Combine("never-created");

        var result = await Get("--token-dir", missing, "--wait", "0");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
            Assert.That(result.StandardError, Does.Contain("no token directory").And.Contain(missing));
        });
    }

    [Test]
    public async Task A_directory_without_a_token_yet_exits_4()
    {
        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);

        var result = await Get("--token-dir", empty, "--wait", "0");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
            Assert.That(result.StandardError, Does.Contain("no token in"));
        });
    }
}
