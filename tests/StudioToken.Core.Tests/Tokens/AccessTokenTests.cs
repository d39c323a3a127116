using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Tokens;

[TestFixture]
public sealed class AccessTokenTests
{
    [Test]
    public void Measures_lifetime_and_remaining_time_from_its_own_timestamps()
    {
        var token = TestTokens.Issued("t", TestTokens.Start, TimeSpan.FromMinutes(60));

        Assert.Multiple(() =>
        {
            Assert.That(token.Lifetime, Is.EqualTo(TimeSpan.FromMinutes(60)));
            Assert.That(token.RemainingAt(TestTokens.Start.AddMinutes(45)), Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(token.RemainingAt(TestTokens.Start.AddMinutes(61)), Is.EqualTo(TimeSpan.FromMinutes(-1)));
        });
    }

    [Test]
    public void Never_prints_its_value()
    {
        var token = TestTokens.Issued("very-secret-token-value", TestTokens.Start, TimeSpan.FromMinutes(60));

        Assert.That(token.ToString(), Does.Not.Contain("very-secret-token-value").And.Contain("***"));
    }
}
