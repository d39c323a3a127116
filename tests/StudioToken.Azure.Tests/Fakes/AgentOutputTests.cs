namespace StudioToken.Azure.Tests.Fakes;

/// <summary>The leak scan the step tests rely on: it must fail on a leak, or those tests prove nothing.</summary>
[TestFixture]
public sealed class AgentOutputTests
{
    private const string Secret = "s3cret +%Ω";
    private const string Token = "eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl";

    [Test]
    public void Allows_the_secret_in_its_setsecret_line_and_the_token_in_the_secret_variable() =>
        Assert.DoesNotThrow(() => new AgentOutput(
            "##vso[task.setsecret]s3cret +%AZP25Ω\n" +
            $"##vso[task.setsecret]{Token}\n" +
            $"##vso[task.setvariable variable=STUDIO_TOKEN;issecret=true]{Token}\n").AssertNoLeak(Secret, Token));

    [TestCase("##vso[task.logissue type=error]bad s3cret +%AZP25Ω")]
    [TestCase("sent client_secret=s3cret+%2B%25%CE%A9")]
    [TestCase("sent s3cret%20%2B%25%CE%A9")]
    [TestCase("##vso[task.setsecret]s3cret +%AZP25Ω and more")]
    public void Catches_the_client_secret_anywhere_else(string line) =>
        Assert.Throws<AssertionException>(() => new AgentOutput("##vso[task.setsecret]s3cret +%AZP25Ω\n" + line).AssertNoLeak(Secret));

    [TestCase("##vso[task.setvariable variable=STUDIO_TOKEN]" + Token)]
    [TestCase("##vso[task.setvariable variable=OTHER;issecret=true]" + Token)]
    [TestCase("wrote " + Token)]
    public void Catches_the_token_anywhere_else(string line) =>
        Assert.Throws<AssertionException>(() => new AgentOutput($"##vso[task.setsecret]{Token}\n" + line).AssertNoLeak(Secret, Token));
}
