using System.Globalization;
using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.Security;

[TestFixture]
public sealed class SecretTests
{
    private const string Value = "s3cr:t +%Ω";

    [Test]
    public void Prints_as_stars_however_it_is_formatted()
    {
        var secret = new Secret(Value);

        Assert.Multiple(() =>
        {
            Assert.That(secret.ToString(), Is.EqualTo("***"));
            Assert.That($"secret={secret}", Is.EqualTo("secret=***"));
            Assert.That(string.Format(CultureInfo.InvariantCulture, "{0}", secret), Is.EqualTo("***"));
            Assert.That(string.Concat("x", secret), Is.EqualTo("x***"));
            Assert.That(new { secret }.ToString(), Does.Not.Contain(Value));
        });
    }

    [Test]
    public void Reveals_its_value_only_when_asked()
    {
        var secret = new Secret(Value);

        Assert.Multiple(() =>
        {
            Assert.That(secret.Reveal(), Is.EqualTo(Value));
            Assert.That(secret.Length, Is.EqualTo(Value.Length));
        });
    }

    [Test]
    public void Compares_by_value()
    {
        var one = new Secret(Value);
        var other = new Secret(string.Concat(Value.AsSpan(0, 3), Value.AsSpan(3)));

        Assert.Multiple(() =>
        {
            Assert.That(one, Is.EqualTo(other));
            Assert.That(one.GetHashCode(), Is.EqualTo(other.GetHashCode()));
            Assert.That(new Secret(Value), Is.Not.EqualTo(new Secret(Value.ToUpperInvariant())));
            Assert.That(new Secret(Value).Equals(null), Is.False);
        });
    }

    [Test]
    public void Refuses_an_empty_value()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => _ = new Secret(string.Empty));
            Assert.Throws<ArgumentNullException>(() => _ = new Secret(null!));
        });
    }
}
