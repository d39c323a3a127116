using StudioToken.Core.Storage;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Storage;

[TestFixture]
public sealed class TokenMetadataTests
{
    private static readonly TokenMetadata Sample = new("Bearer", TestTokens.Start.AddHours(1), TestTokens.Start, 7, "studio:script", new Uri("https://studio.example.com/api/v2/oauth/token"), "boom");

    [Test]
    public void Round_trips_through_json()
    {
        Assert.That(TokenMetadata.Parse(Sample.ToJson()), Is.EqualTo(Sample));
    }

    [Test]
    public void Writes_null_scope_and_last_error_as_json_null()
    {
        var json = (Sample with { Scope = null, LastError = null }).ToJson();

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"scope\": null").And.Contain("\"last_error\": null"));
            Assert.That(TokenMetadata.Parse(json).LastError, Is.Null);
        });
    }

    [Test]
    public void Formats_times_as_RFC_3339_UTC_with_Z_whatever_the_offset()
    {
        Assert.That(TokenMetadata.Rfc3339(new DateTimeOffset(2025, 3, 14, 11, 30, 15, 999, TimeSpan.FromHours(2))), Is.EqualTo("2025-03-14T09:30:15Z"));
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("[]")]
    [TestCase("null")]
    [TestCase("""{"token_type":"Bearer"}""")]
    [TestCase("""{"token_type":"Bearer","expires_at":"soon","refreshed_at":"2025-03-14T09:00:00Z","generation":1,"token_url":"https://x/"}""")]
    [TestCase("""{"token_type":"Bearer","expires_at":"2025-03-14T09:00:00Z","refreshed_at":"2025-03-14T09:00:00Z","generation":"1","token_url":"https://x/"}""")]
    [TestCase("""{"token_type":"Bearer","expires_at":"2025-03-14T09:00:00Z","refreshed_at":"2025-03-14T09:00:00Z","generation":1,"token_url":"not a url"}""")]
    [TestCase("""{"token_type":"Bearer","expires_at":"2025-03-14T09:00:00Z","refreshed_at":"2025-03-14T09:00:00Z","generation":99999999999999999999,"token_url":"https://x/"}""")]
    public void Refuses_garbage_with_a_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => TokenMetadata.Parse(json));
    }
}
