using StudioToken.Core.Security;

namespace StudioToken.Core.Tests.Security;

[TestFixture]
public sealed class RedactorTests
{
    [Test]
    public void Replaces_every_occurrence_of_a_known_secret()
    {
        var redactor = new Redactor();
        redactor.Add(new Secret("hunter2"));

        Assert.That(redactor.Redact("hunter2 said hunter2"), Is.EqualTo("*** said ***"));
    }

    [Test]
    public void Replaces_the_longest_secret_first_so_no_tail_of_it_is_left()
    {
        var redactor = new Redactor();
        redactor.Add(new Secret("abc"));
        redactor.Add(new Secret("abcdef"));
        redactor.Add(new Secret("xabcdefx"));

        Assert.Multiple(() =>
        {
            Assert.That(redactor.Redact("[abcdef]"), Is.EqualTo("[***]"));
            Assert.That(redactor.Redact("[xabcdefx]"), Is.EqualTo("[***]"));
            Assert.That(redactor.Redact("[abc]"), Is.EqualTo("[***]"));
        });
    }

    [Test]
    public void Ignores_null_and_duplicate_secrets()
    {
        var redactor = new Redactor();
        redactor.Add(null);
        redactor.Add(new Secret("tok"));
        redactor.Add(new Secret("tok"));

        Assert.That(redactor.Redact("tok tok"), Is.EqualTo("*** ***"));
    }

    [Test]
    public void Leaves_text_alone_when_it_knows_no_secret()
    {
        Assert.That(new Redactor().Redact("nothing to hide"), Is.EqualTo("nothing to hide"));
    }

    [Test]
    public void Matches_case_sensitively()
    {
        var redactor = new Redactor();
        redactor.Add(new Secret("Token"));

        Assert.That(redactor.Redact("Token token"), Is.EqualTo("*** token"));
    }
}
