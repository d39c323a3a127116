using StudioToken.Core.Storage;

namespace StudioToken.Core.Tests.Storage;

[TestFixture]
public sealed class FileOwnerTests
{
    [TestCase("1001:121", 1001u, 121u)]
    [TestCase("1001", 1001u, 1001u)]
    [TestCase("0:0", 0u, 0u)]
    public void Parses_uid_and_optional_gid(string text, uint uid, uint gid)
    {
        Assert.Multiple(() =>
        {
            Assert.That(FileOwner.TryParse(text, out var owner), Is.True);
            Assert.That(owner, Is.EqualTo(new FileOwner(uid, gid)));
            Assert.That(owner.ToString(), Is.EqualTo($"{uid}:{gid}"));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("runner")]
    [TestCase("1:2:3")]
    [TestCase("-1")]
    [TestCase("1:")]
    [TestCase(":1")]
    [TestCase("99999999999")]
    public void Refuses_anything_else(string? text)
    {
        Assert.That(FileOwner.TryParse(text, out _), Is.False);
    }
}
