using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.Testing;

namespace StudioToken.Cli.Tests.Commands;

public sealed class GetCommandTests
{
    private const string Token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.c2ln";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "studio-token-get-tests", Guid.NewGuid().ToString("N"));
        _clock = new FakeTimeProvider(Now);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Prints_the_current_token_without_a_newline()
    {
        Publish(Token, TimeSpan.FromMinutes(30));

        var run = await CliHarness.RunAsync(["get", "--token-dir", _directory], timeProvider: _clock);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Is.EqualTo(Token));
        Assert.That(run.Error, Is.Empty);
    }

    [Test]
    public async Task Finds_the_directory_through_STUDIO_TOKEN_FILE()
    {
        Publish(Token, TimeSpan.FromMinutes(30));

        var run = await CliHarness.RunAsync(["get"], new Dictionary<string, string> { ["STUDIO_TOKEN_FILE"] = Path.Combine(_directory, "token") }, timeProvider: _clock);

        Assert.That(run.Output, Is.EqualTo(Token));
    }

    [Test]
    public async Task Registers_the_token_with_GitHub_Actions_on_standard_error_first()
    {
        Publish(Token, TimeSpan.FromMinutes(30));

        var run = await CliHarness.RunAsync(["get", "--token-dir", _directory], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }, timeProvider: _clock);

        Assert.That(run.Error, Is.EqualTo("::add-mask::" + Token + System.Environment.NewLine));
        Assert.That(run.Output, Is.EqualTo(Token));
    }

    [Test]
    public async Task Registers_the_token_with_Azure_Pipelines_on_standard_error_first()
    {
        Publish(Token, TimeSpan.FromMinutes(30));

        var run = await CliHarness.RunAsync(["get", "--token-dir", _directory], new Dictionary<string, string> { ["TF_BUILD"] = "True" }, timeProvider: _clock);

        Assert.That(run.Error, Is.EqualTo("##vso[task.setsecret]" + Token + System.Environment.NewLine));
    }

    [Test]
    public async Task An_expired_token_exits_4_and_says_when_it_expired()
    {
        Publish(Token, TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(2));

        var run = await CliHarness.RunAsync(["get", "--token-dir", _directory], timeProvider: _clock);

        Assert.That(run.ExitCode, Is.EqualTo(4));
        Assert.That(run.Error, Does.Contain("expired at 2026-03-01T12:01:00Z"));
        Assert.That(run.Output, Is.Empty);
    }

    [Test]
    public async Task Min_valid_waits_for_a_fresher_token()
    {
        Publish(Token, TimeSpan.FromMinutes(5));

        var running = CliHarness.RunAsync(["get", "--token-dir", _directory, "--min-valid", "10m", "--wait", "1m"], timeProvider: _clock);
        Assert.That(running.IsCompleted, Is.False, "a 5-minute token does not satisfy --min-valid 10m");
        Publish("fresh.token.value", TimeSpan.FromHours(1));
        _clock.Advance(TokenDirectoryReader.PollInterval);
        var run = await running;

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Is.EqualTo("fresh.token.value"));
    }

    [Test]
    public async Task Min_valid_gives_up_after_wait_with_exit_4()
    {
        Publish(Token, TimeSpan.FromMinutes(5));

        var running = CliHarness.RunAsync(["get", "--token-dir", _directory, "--min-valid", "10m", "--wait", "1s"], timeProvider: _clock);
        for (var i = 0; i < 4 && !running.IsCompleted; i++)
        {
            _clock.Advance(TokenDirectoryReader.PollInterval);
        }

        var run = await running;
        Assert.That(run.ExitCode, Is.EqualTo(4));
        Assert.That(run.Error, Does.Contain("less than the 10m0s asked for").Or.Contain("less than the 10m asked for"));
    }

    [Test]
    public async Task A_missing_directory_exits_4_with_a_hint()
    {
        var run = await CliHarness.RunAsync(["get", "--token-dir", _directory], timeProvider: _clock);

        Assert.That(run.ExitCode, Is.EqualTo(4));
        Assert.That(run.Error, Does.Contain("no token directory"));
    }

    [Test]
    public async Task Without_any_directory_exits_1()
    {
        var run = await CliHarness.RunAsync(["get"], timeProvider: _clock);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("STUDIO_TOKEN_FILE"));
    }

    private void Publish(string token, TimeSpan lifetime)
    {
        var now = _clock.GetUtcNow();
        var publisher = new TokenPublisher(new TokenDirectoryWriter(_directory), new Uri("https://studio.example.com/api/v2/oauth/token"), _clock);
        publisher.Prepare();
        publisher.Publish(new AccessToken(new Secret(token), "Bearer", "studio:script", now, now + lifetime, now + lifetime / 2));
    }
}
