using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Tokens;

[TestFixture]
public sealed class RefreshPolicyTests
{
    private static readonly DateTimeOffset IssuedAt = TestTokens.Start;
    private static readonly DateTimeOffset ExpiresOn = TestTokens.Start.AddHours(1);

    [Test]
    public void Defaults_to_half_the_lifetime_with_5_percent_jitter()
    {
        var policy = new RefreshPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(policy.RefreshAt, Is.EqualTo(0.5));
            Assert.That(policy.Jitter, Is.EqualTo(0.05));
            Assert.DoesNotThrow(policy.Validate);
        });
    }

    [Test]
    public void Keeps_RefreshOn_within_the_jitter_around_RefreshAt()
    {
        var policy = new RefreshPolicy { RefreshAt = 0.75, Jitter = 0.1 };
        var random = new Random(1234);

        var moments = Enumerable.Range(0, 1000).Select(_ => policy.RefreshOn(IssuedAt, ExpiresOn, random)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(moments, Is.All.InRange(IssuedAt.AddMinutes(60 * 0.65), IssuedAt.AddMinutes(60 * 0.85)));
            Assert.That(moments.Min(), Is.LessThan(IssuedAt.AddMinutes(60 * 0.67)), "the jitter spreads refreshes down...");
            Assert.That(moments.Max(), Is.GreaterThan(IssuedAt.AddMinutes(60 * 0.83)), "...and up");
        });
    }

    [TestCase(0.0, 1620)]
    [TestCase(0.5, 1800)]
    [TestCase(1.0, 1980)]
    public void Maps_the_random_sample_onto_minus_to_plus_jitter(double sample, int seconds)
    {
        Assert.That(new RefreshPolicy().RefreshOn(IssuedAt, ExpiresOn, new FixedRandom(sample)), Is.EqualTo(IssuedAt.AddSeconds(seconds)));
    }

    [Test]
    public void Refreshes_exactly_at_RefreshAt_without_jitter()
    {
        Assert.That(new RefreshPolicy { RefreshAt = 0.8, Jitter = 0 }.RefreshOn(IssuedAt, ExpiresOn, new Random(1234)), Is.EqualTo(IssuedAt.AddMinutes(48)));
    }

    [Test]
    public void Keeps_RefreshOn_inside_the_lifetime_when_the_jitter_would_push_it_out()
    {
        var policy = new RefreshPolicy { RefreshAt = 0.99, Jitter = 0.4 };

        Assert.That(policy.RefreshOn(IssuedAt, ExpiresOn, new FixedRandom(1.0)), Is.EqualTo(IssuedAt + TimeSpan.FromHours(1) * 0.99));
    }

    [Test]
    public void Refreshes_at_once_a_token_without_lifetime()
    {
        Assert.That(new RefreshPolicy().RefreshOn(IssuedAt, IssuedAt, new Random(1234)), Is.EqualTo(IssuedAt));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void Rejects_a_refresh_at_outside_zero_to_one(double refreshAt)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(new RefreshPolicy { RefreshAt = refreshAt }.Validate)!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.ParamName, Is.EqualTo(nameof(RefreshPolicy.RefreshAt)));
            Assert.That(ex.Message, Does.Contain("refresh-at"));
        });
    }

    [TestCase(-0.01)]
    [TestCase(0.5)]
    [TestCase(double.NaN)]
    public void Rejects_a_jitter_outside_zero_to_one_half(double jitter)
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(new RefreshPolicy { Jitter = jitter }.Validate)!.ParamName, Is.EqualTo(nameof(RefreshPolicy.Jitter)));
    }
}
