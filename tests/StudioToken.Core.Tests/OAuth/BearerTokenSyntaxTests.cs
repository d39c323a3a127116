using StudioToken.Core.OAuth;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class BearerTokenSyntaxTests
{
    [TestCase("abc", ExpectedResult = true)]
    [TestCase("ABC123", ExpectedResult = true)]
    [TestCase("a-b.c_d~e+f/g", ExpectedResult = true)]
    [TestCase("abc=", ExpectedResult = true)]
    [TestCase("abc==", ExpectedResult = true)]
    [TestCase("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln", ExpectedResult = true)]
    [TestCase("", ExpectedResult = false)]
    [TestCase("=", ExpectedResult = false)]
    [TestCase("==", ExpectedResult = false)]
    [TestCase("a=b", ExpectedResult = false)]
    [TestCase("=abc", ExpectedResult = false)]
    [TestCase("abc def", ExpectedResult = false)]
    [TestCase("abc\n", ExpectedResult = false)]
    [TestCase("abc\r\n", ExpectedResult = false)]
    [TestCase("abc\t", ExpectedResult = false)]
    [TestCase("::add-mask::x", ExpectedResult = false)]
    [TestCase("abc%0A", ExpectedResult = false)]
    [TestCase("##vso[task.setvariable]x", ExpectedResult = false)]
    [TestCase("abc\"", ExpectedResult = false)]
    [TestCase("ab,c", ExpectedResult = false)]
    [TestCase("été", ExpectedResult = false)]
    [TestCase("abc\0", ExpectedResult = false)]
    public bool Accepts_only_RFC_6750_b64token(string value) => BearerTokenSyntax.IsB64Token(value);
}
