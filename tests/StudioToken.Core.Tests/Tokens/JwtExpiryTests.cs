using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Tokens;

[TestFixture]
public sealed class JwtExpiryTests
{
    [Test]
    public void Reads_an_integer_exp()
    {
        var exp = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);

        Assert.That(JwtExpiry.TryRead(TestTokens.JwtExpiringAt(exp)), Is.EqualTo(exp));
    }

    [Test]
    public void Rounds_a_fractional_exp_down_to_the_second()
    {
        Assert.That(JwtExpiry.TryRead(TestTokens.Jwt("""{"exp":1900000000.9}""")), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1900000000)));
    }

    [TestCase("opaque-token")]
    [TestCase("a.b")]
    [TestCase("a.b.c.d")]
    [TestCase("a..c")]
    [TestCase("")]
    public void Finds_nothing_in_a_token_that_is_not_a_compact_JWS(string token)
    {
        Assert.That(JwtExpiry.TryRead(token), Is.Null);
    }

    [TestCase("eyJhbGciOiJub25lIn0.!!!notbase64!!!.sig")]
    [TestCase("eyJhbGciOiJub25lIn0.A.sig")]
    public void Finds_nothing_when_the_payload_is_not_base64url(string token)
    {
        Assert.That(JwtExpiry.TryRead(token), Is.Null);
    }

    [TestCase("not json")]
    [TestCase("[1,2,3]")]
    [TestCase("""{"sub":"ci"}""")]
    [TestCase("""{"exp":"1900000000"}""")]
    [TestCase("""{"exp":null}""")]
    [TestCase("""{"exp":true}""")]
    [TestCase("""{"exp":0}""")]
    [TestCase("""{"exp":-5}""")]
    [TestCase("""{"exp":1e20}""")]
    [TestCase("""{"exp":253402300800}""")]
    [TestCase("""{"exp":99999999999999999999}""")]
    public void Finds_nothing_when_exp_is_missing_or_not_a_sane_number(string payload)
    {
        DateTimeOffset? exp = DateTimeOffset.MinValue;

        Assert.DoesNotThrow(() => exp = JwtExpiry.TryRead(TestTokens.Jwt(payload)));
        Assert.That(exp, Is.Null);
    }

    [Test]
    public void Finds_nothing_when_the_payload_is_not_UTF_8()
    {
        Assert.That(JwtExpiry.TryRead("eyJhbGciOiJub25lIn0._____w.sig"), Is.Null);
    }
}
