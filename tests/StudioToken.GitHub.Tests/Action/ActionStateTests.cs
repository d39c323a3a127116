using StudioToken.Core.OAuth;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Action;

[TestFixture]
public sealed class ActionStateTests
{
    private static Func<string, string?> Environment(string? stateText) =>
        name => name == "STATE_studio_token" ? stateText : null;

    private static IEnumerable<ActionState> States()
    {
        yield return new ActionState("/github/runner_temp/studio-token/get-token-a1b2c3", "/home/runner/work/_temp/studio-token/get-token-a1b2c3", new string('f', 64));
        yield return new ActionState("/github/workspace/.tokens", "/home/runner/work/repo/repo/.tokens", null);
        yield return new ActionState("/github/runner_temp/odd \"dir\"\\with\nlines", "/home/rünner/wörk/x y", "abc");
        yield return new ActionState("/github/runner_temp/studio-token/x", "/home/runner/work/_temp/studio-token/x", "abc")
        {
            Discovered = new(new Uri("https://id.example.com/connect/token"), ClientAuthMethod.ClientSecretPost, new Uri("https://id.example.com/connect/revoke"), ClientAuthMethod.ClientSecretBasic, null),
        };
    }

    [TestCaseSource(nameof(States))]
    public void Round_trips_through_STATE_studio_token(ActionState state) =>
        Assert.That(ActionState.FromEnvironment(Environment(state.ToJson())), Is.EqualTo(state));

    [TestCaseSource(nameof(States))]
    public void Round_trips_through_the_GITHUB_STATE_file_command_as_the_runner_reads_it(ActionState state)
    {
        using var temp = new TemporaryDirectory();
        var file = temp.Combine("save_state_1");

        new FileCommandWriter(file).Set(ActionState.Name, state.ToJson());
        var environment = RunnerFileCommands.ParseFile(file).ToDictionary(pair => "STATE_" + pair.Key, pair => pair.Value);

        Assert.That(ActionState.FromEnvironment(name => environment.GetValueOrDefault(name)), Is.EqualTo(state));
    }

    [Test]
    public void Is_one_line_of_JSON_without_a_secret()
    {
        var json = States().First().ToJson();

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Not.Contain("\n"));
            Assert.That(json, Does.Contain("\"token_dir\"").And.Contain("\"host_token_dir\"").And.Contain("\"refresher_id\""));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("not json")]
    [TestCase("{")]
    [TestCase("{\"token_dir\":")]
    [TestCase("[1,2]")]
    [TestCase("null")]
    [TestCase("42")]
    [TestCase("\"a string\"")]
    public void Garbage_gives_null(string? text) =>
        Assert.That(ActionState.FromEnvironment(Environment(text)), Is.Null);

    [TestCase("{\"token_dir\":[],\"host_token_dir\":\"/h\"}")]
    [TestCase("{\"token_dir\":{\"a\":1},\"host_token_dir\":\"/h\"}")]
    [TestCase("{\"token_dir\":\"/c\",\"host_token_dir\":\"/h\",\"refresher_id\":[1]}")]
    public void JSON_with_fields_of_the_wrong_type_gives_null(string text) =>
        Assert.That(ActionState.FromEnvironment(Environment(text)), Is.Null);

    [TestCase("{}")]
    [TestCase("{\"host_token_dir\":\"/h\"}")]
    [TestCase("{\"token_dir\":\"\",\"host_token_dir\":\"/h\"}")]
    public void JSON_without_a_token_dir_gives_null(string text) =>
        Assert.That(ActionState.FromEnvironment(Environment(text)), Is.Null);
}
