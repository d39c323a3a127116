using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.Storage;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Storage;

[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class TokenDirectoryReaderTests
{
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");

    private TemporaryDirectory _temp = null!;
    private FakeTimeProvider _time = null!;
    private TokenDirectoryWriter _writer = null!;
    private TokenPublisher _publisher = null!;
    private TokenDirectoryReader _reader = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _time = new FakeTimeProvider(TestTokens.Start);
        _writer = new TokenDirectoryWriter(_temp.Combine("tokens"));
        _publisher = new TokenPublisher(_writer, TokenUrl, _time);
        _reader = new TokenDirectoryReader(_writer.Directory, _time);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private TokenMetadata Publish(string value, TimeSpan lifetime)
    {
        if (!_writer.Exists)
        {
            _publisher.Prepare();
        }

        return _publisher.Publish(TestTokens.Issued(value, _time.GetUtcNow(), lifetime));
    }

    [Test]
    public void Reads_the_token_and_its_metadata()
    {
        var metadata = Publish("tok-1", TimeSpan.FromHours(1));

        var snapshot = _reader.Read();

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Token.Reveal(), Is.EqualTo("tok-1"));
            Assert.That(snapshot.Metadata, Is.EqualTo(metadata));
            Assert.That(snapshot.RemainingAt(_time.GetUtcNow()), Is.EqualTo(TimeSpan.FromHours(1)));
        });
    }

    [Test]
    public void Reports_the_older_earlier_expiry_when_caught_between_the_token_and_token_json_being_replaced()
    {
        var old = Publish("tok-1", TimeSpan.FromHours(1));
        // The writer replaces token, then token.json: a reader in between sees the new token with the old metadata.
        File.WriteAllText(_writer.TokenFile, "tok-2");

        var snapshot = _reader.Read();

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Token.Reveal(), Is.EqualTo("tok-2"));
            Assert.That(snapshot.Metadata.ExpiresAt, Is.EqualTo(old.ExpiresAt), "the stated expiry is never later than the token's own");
            Assert.That(snapshot.Metadata.Generation, Is.EqualTo(1));
        });
    }

    [Test]
    public void Says_where_it_looked_when_there_is_no_directory()
    {
        var ex = Assert.Throws<NoValidTokenException>(() => _reader.Read())!;

        Assert.That(ex.Message, Does.StartWith($"no token directory at {_writer.Directory}").And.Contain("--token-dir"));
    }

    [Test]
    public void Says_there_is_no_token_yet_in_an_empty_directory()
    {
        _writer.Prepare();

        var ex = Assert.Throws<NoValidTokenException>(() => _reader.Read())!;

        Assert.That(ex.Message, Does.Contain("holds no token yet").And.Contain("refresher"));
    }

    [Test]
    public void Says_there_is_no_token_yet_when_only_token_json_is_there()
    {
        Publish("tok-1", TimeSpan.FromHours(1));
        File.Delete(_writer.TokenFile);

        Assert.That(Assert.Throws<NoValidTokenException>(() => _reader.Read())!.Message, Does.Contain("holds no token yet"));
    }

    [TestCase("{ not json")]
    [TestCase("")]
    [TestCase("""{"token_type":"Bearer"}""")]
    public void Explains_a_damaged_token_json(string json)
    {
        Publish("tok-1", TimeSpan.FromHours(1));
        File.WriteAllText(_writer.MetadataFile, json);

        var ex = Assert.Throws<NoValidTokenException>(() => _reader.Read())!;

        Assert.That(ex.Message, Does.StartWith($"{_writer.Directory}: token.json"));
    }

    [TestCase("")]
    [TestCase("tok\n::add-mask::x")]
    public void Refuses_a_token_file_that_does_not_hold_a_bearer_token(string content)
    {
        Publish("tok-1", TimeSpan.FromHours(1));
        File.WriteAllText(_writer.TokenFile, content);

        var ex = Assert.Throws<NoValidTokenException>(() => _reader.Read())!;

        Assert.That(ex.Message, Does.Contain("does not hold a bearer token").And.Not.Contain("add-mask"));
    }

    [Test]
    public async Task Returns_at_once_a_token_with_enough_life_left()
    {
        Publish("tok-1", TimeSpan.FromHours(1));

        var snapshot = await _reader.WaitForAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(snapshot.Token.Reveal(), Is.EqualTo("tok-1"));
    }

    [Test]
    public void Says_when_the_token_expired_and_quotes_the_last_error()
    {
        Publish("tok-1", TimeSpan.FromMinutes(10));
        _publisher.RecordFailure("token endpoint answered 401 invalid_client");
        _time.Advance(TimeSpan.FromMinutes(11));

        var ex = Assert.ThrowsAsync<NoValidTokenException>(() => _reader.WaitForAsync(TimeSpan.Zero, TimeSpan.Zero, CancellationToken.None))!;

        Assert.That(ex.Message, Is.EqualTo($"the token in {_writer.Directory} expired at 2025-03-14T09:10:00Z; the refresher's last error: token endpoint answered 401 invalid_client"));
    }

    [Test]
    public void Says_how_much_life_is_left_when_it_is_not_enough()
    {
        Publish("tok-1", TimeSpan.FromMinutes(5));

        var ex = Assert.ThrowsAsync<NoValidTokenException>(() => _reader.WaitForAsync(TimeSpan.FromMinutes(10), TimeSpan.Zero, CancellationToken.None))!;

        Assert.That(ex.Message, Is.EqualTo($"the token in {_writer.Directory} expires in 5m, less than the 10m asked for"));
    }

    [Test]
    public async Task Returns_a_fresher_token_written_while_it_waits()
    {
        Publish("tok-1", TimeSpan.FromMinutes(5));
        var waiting = _reader.WaitForAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TokenDirectoryReader.PollInterval);
        }

        Assert.That(waiting.IsCompleted, Is.False);
        Publish("tok-2", TimeSpan.FromHours(1));
        _time.Advance(TokenDirectoryReader.PollInterval);

        Assert.That(waiting.IsCompletedSuccessfully, Is.True, "picked up at the next poll");
        var snapshot = await waiting;
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Token.Reveal(), Is.EqualTo("tok-2"));
            Assert.That(snapshot.Metadata.Generation, Is.EqualTo(2));
        });
    }

    [Test]
    public void Waits_for_a_directory_that_does_not_exist_yet()
    {
        var waiting = _reader.WaitForAsync(TimeSpan.Zero, TimeSpan.FromSeconds(10), CancellationToken.None);
        _time.Advance(TokenDirectoryReader.PollInterval);
        Assert.That(waiting.IsCompleted, Is.False);

        Publish("tok-1", TimeSpan.FromHours(1));
        _time.Advance(TokenDirectoryReader.PollInterval);

        Assert.That(waiting.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void Gives_up_after_the_wait_saying_how_long_it_waited()
    {
        Publish("tok-1", TimeSpan.FromMinutes(5));
        var waiting = _reader.WaitForAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), CancellationToken.None);

        _time.AdvanceInSteps(TimeSpan.FromSeconds(30) - TokenDirectoryReader.PollInterval, TokenDirectoryReader.PollInterval);
        Assert.That(waiting.IsCompleted, Is.False);
        _time.Advance(TokenDirectoryReader.PollInterval);

        var ex = Assert.ThrowsAsync<NoValidTokenException>(async () => await waiting)!;
        Assert.That(ex.Message, Does.Contain("less than the 10m asked for").And.EndWith("(waited 30s)"));
    }

    [Test]
    public void Stops_waiting_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var waiting = _reader.WaitForAsync(TimeSpan.Zero, TimeSpan.FromMinutes(1), cancellation.Token);

        cancellation.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await waiting);
    }
}
