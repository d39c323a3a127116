using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.Storage;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Storage;

[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class TokenPublisherTests
{
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");

    private TemporaryDirectory _temp = null!;
    private FakeTimeProvider _time = null!;
    private TokenDirectoryWriter _writer = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _time = new FakeTimeProvider(TestTokens.Start);
        _writer = new TokenDirectoryWriter(_temp.Combine("tokens"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private TokenPublisher PreparedPublisher()
    {
        var publisher = new TokenPublisher(_writer, TokenUrl, _time);
        publisher.Prepare();
        return publisher;
    }

    private TokenMetadata ReadMetadata() => TokenMetadata.Parse(File.ReadAllText(_writer.MetadataFile));

    [Test]
    public void Counts_generations_1_2_3()
    {
        var publisher = PreparedPublisher();

        var generations = new List<long>();
        foreach (var value in new[] { "tok-1", "tok-2", "tok-3" })
        {
            generations.Add(publisher.Publish(TestTokens.Issued(value, _time.GetUtcNow(), TimeSpan.FromHours(1))).Generation);
            Assert.That(ReadMetadata().Generation, Is.EqualTo(generations[^1]));
            _time.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.Multiple(() =>
        {
            Assert.That(generations, Is.EqualTo(new List<long> { 1, 2, 3 }));
            Assert.That(publisher.Generation, Is.EqualTo(3));
            Assert.That(File.ReadAllText(_writer.TokenFile), Is.EqualTo("tok-3"));
        });
    }

    [Test]
    public void Records_the_token_timing_and_the_clock_in_token_json()
    {
        var publisher = PreparedPublisher();
        _time.Advance(TimeSpan.FromSeconds(2));
        var token = TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1));

        var metadata = publisher.Publish(token);

        Assert.Multiple(() =>
        {
            Assert.That(ReadMetadata(), Is.EqualTo(metadata));
            Assert.That(metadata.ExpiresAt, Is.EqualTo(token.ExpiresOn));
            Assert.That(metadata.RefreshedAt, Is.EqualTo(TestTokens.Start.AddSeconds(2)));
            Assert.That(metadata.Scope, Is.EqualTo("studio:script"));
            Assert.That(metadata.TokenUrl, Is.EqualTo(TokenUrl));
            Assert.That(metadata.LastError, Is.Null);
            Assert.That(publisher.Current, Is.EqualTo(metadata));
        });
    }

    [Test]
    public void Continues_the_generation_of_an_existing_token_json()
    {
        var first = PreparedPublisher();
        first.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1)));
        first.Publish(TestTokens.Issued("tok-2", TestTokens.Start, TimeSpan.FromHours(1)));

        var restarted = PreparedPublisher();

        Assert.Multiple(() =>
        {
            Assert.That(restarted.Generation, Is.EqualTo(2));
            Assert.That(restarted.Publish(TestTokens.Issued("tok-3", TestTokens.Start, TimeSpan.FromHours(1))).Generation, Is.EqualTo(3));
        });
    }

    [Test]
    public void Starts_again_at_generation_1_over_a_damaged_token_json()
    {
        Directory.CreateDirectory(_writer.Directory);
        File.WriteAllText(_writer.MetadataFile, "{ not json");

        var publisher = PreparedPublisher();

        Assert.Multiple(() =>
        {
            Assert.That(publisher.Generation, Is.Zero);
            Assert.That(publisher.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1))).Generation, Is.EqualTo(1));
        });
    }

    [Test]
    public void Records_a_failure_in_token_json_and_keeps_the_token_file_byte_identical()
    {
        var publisher = PreparedPublisher();
        publisher.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1)));
        var tokenBefore = File.ReadAllBytes(_writer.TokenFile);
        var metadataBefore = ReadMetadata();

        publisher.RecordFailure("token endpoint answered 503 ServiceUnavailable");

        var metadataAfter = ReadMetadata();
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(_writer.TokenFile), Is.EqualTo(tokenBefore));
            Assert.That(metadataAfter.LastError, Is.EqualTo("token endpoint answered 503 ServiceUnavailable"));
            Assert.That(metadataAfter with { LastError = null }, Is.EqualTo(metadataBefore), "only last_error changes");
            Assert.That(publisher.Generation, Is.EqualTo(1));
        });
    }

    [Test]
    public void Clears_last_error_with_the_next_token()
    {
        var publisher = PreparedPublisher();
        publisher.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1)));
        publisher.RecordFailure("boom");

        publisher.Publish(TestTokens.Issued("tok-2", TestTokens.Start, TimeSpan.FromHours(1)));

        Assert.Multiple(() =>
        {
            Assert.That(ReadMetadata().LastError, Is.Null);
            Assert.That(ReadMetadata().Generation, Is.EqualTo(2));
        });
    }

    [Test]
    public void Records_no_failure_before_the_first_token()
    {
        var publisher = PreparedPublisher();

        publisher.RecordFailure("boom");

        Assert.That(File.Exists(_writer.MetadataFile), Is.False);
    }

    [Test]
    public void Runs_BeforePublish_before_the_token_file_changes()
    {
        var publisher = PreparedPublisher();
        publisher.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1)));
        string? seenOnDisk = null;
        long? seenGeneration = null;
        string? handedOver = null;
        publisher.BeforePublish = token =>
        {
            seenOnDisk = File.ReadAllText(_writer.TokenFile);
            seenGeneration = ReadMetadata().Generation;
            handedOver = token.Value.Reveal();
        };

        publisher.Publish(TestTokens.Issued("tok-2", TestTokens.Start, TimeSpan.FromHours(1)));

        Assert.Multiple(() =>
        {
            Assert.That(seenOnDisk, Is.EqualTo("tok-1"));
            Assert.That(seenGeneration, Is.EqualTo(1));
            Assert.That(handedOver, Is.EqualTo("tok-2"));
            Assert.That(File.ReadAllText(_writer.TokenFile), Is.EqualTo("tok-2"));
        });
    }

    [Test]
    public void Publishes_nothing_when_BeforePublish_throws()
    {
        var publisher = PreparedPublisher();
        publisher.BeforePublish = _ => throw new InvalidOperationException("could not register the secret");

        Assert.Throws<InvalidOperationException>(() => publisher.Publish(TestTokens.Issued("tok-1", TestTokens.Start, TimeSpan.FromHours(1))));

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(_writer.TokenFile), Is.False);
            Assert.That(publisher.Generation, Is.Zero);
        });
    }
}
