using System.Net;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.Retry;

[TestFixture]
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new();

    private static TokenRequestException Transient(TimeSpan? retryAfter = null) =>
        new(TokenFailureKind.Transient, "token endpoint answered 503 ServiceUnavailable", HttpStatusCode.ServiceUnavailable, retryAfter);

    [Test]
    public void Defaults_to_5_attempts_1_s_base_60_s_cap_and_a_5_minute_slow_pace()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Policy.MaxAttempts, Is.EqualTo(5));
            Assert.That(Policy.BaseDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(Policy.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(Policy.SlowRetryInterval, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(Policy.MaxRetryAfter, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 4)]
    [TestCase(4, 8)]
    [TestCase(6, 32)]
    [TestCase(7, 60)]
    [TestCase(20, 60)]
    [TestCase(1000, 60)]
    public void Uses_the_capped_exponential_ceiling_at_the_top_of_the_jitter(int failures, int ceilingSeconds)
    {
        var delay = Policy.DelayAfter(Transient(), failures, new FixedRandom(1.0));

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(ceilingSeconds)));
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(30)]
    public void Can_retry_at_once_at_the_bottom_of_the_full_jitter(int failures)
    {
        Assert.That(Policy.DelayAfter(Transient(), failures, new FixedRandom(0.0)), Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 4)]
    [TestCase(5, 16)]
    [TestCase(9, 60)]
    public void Keeps_every_jittered_delay_between_zero_and_the_ceiling(int failures, int ceilingSeconds)
    {
        var random = new Random(1234);
        var delays = Enumerable.Range(0, 500).Select(_ => Policy.DelayAfter(Transient(), failures, random)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(delays, Is.All.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(ceilingSeconds)));
            Assert.That(delays.Max(), Is.GreaterThan(TimeSpan.FromSeconds(ceilingSeconds * 0.9)), "full jitter reaches near the ceiling");
            Assert.That(delays.Min(), Is.LessThan(TimeSpan.FromSeconds(ceilingSeconds * 0.1)), "full jitter reaches near zero");
        });
    }

    [Test]
    public void Scales_the_ceiling_by_the_sampled_fraction()
    {
        Assert.That(Policy.DelayAfter(Transient(), 4, new FixedRandom(0.25)), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void Follows_a_custom_base_and_cap()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) };

        Assert.Multiple(() =>
        {
            Assert.That(policy.DelayAfter(Transient(), 2, new FixedRandom(1.0)), Is.EqualTo(TimeSpan.FromMilliseconds(400)));
            Assert.That(policy.DelayAfter(Transient(), 4, new FixedRandom(1.0)), Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void Never_retries_sooner_than_Retry_After(double sample)
    {
        var delay = Policy.DelayAfter(Transient(TimeSpan.FromSeconds(90)), 1, new FixedRandom(sample));

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [Test]
    public void Uses_the_backoff_when_it_is_longer_than_Retry_After()
    {
        var delay = Policy.DelayAfter(Transient(TimeSpan.FromSeconds(1)), 7, new FixedRandom(0.5));

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase(TokenFailureKind.Rejected)]
    [TestCase(TokenFailureKind.BadResponse)]
    public void Waits_the_slow_retry_interval_after_a_rejection_or_a_bad_response(TokenFailureKind kind)
    {
        var failure = new TokenRequestException(kind, "no", HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(Policy.DelayAfter(failure, 1, new FixedRandom(0.0)), Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(Policy.DelayAfter(failure, 50, new FixedRandom(1.0)), Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public void Waits_Retry_After_after_a_rejection_when_it_is_longer_than_the_slow_interval()
    {
        var failure = new TokenRequestException(TokenFailureKind.Rejected, "no", HttpStatusCode.Forbidden, TimeSpan.FromMinutes(12));

        Assert.That(Policy.DelayAfter(failure, 1, new FixedRandom(0.5)), Is.EqualTo(TimeSpan.FromMinutes(12)));
    }

    [Test]
    public void Keeps_the_slow_interval_after_a_rejection_with_a_shorter_Retry_After()
    {
        var failure = new TokenRequestException(TokenFailureKind.Rejected, "no", HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10));

        Assert.That(Policy.DelayAfter(failure, 1, new FixedRandom(0.5)), Is.EqualTo(TimeSpan.FromMinutes(5)));
    }
}
