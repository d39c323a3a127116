using StudioToken.Core.Security;
using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Runner;

[TestFixture]
public sealed class WorkflowCommandsTests
{
    private static readonly string[] AwkwardTexts =
    [
        "plain",
        "100% sure",
        "%25 already looks escaped",
        "%0A and %0D and %3A and %2C look escaped too",
        "line one\nline two",
        "cr\rlf\nboth\r\n",
        "\n::error::injected on its own line",
        "a::b:c,d=e",
        "trailing %",
    ];

    private static ParsedWorkflowCommand ParseSingleLine(string line)
    {
        Assert.That(line, Does.Not.Contain("\n").And.Not.Contain("\r"), "a line break would end the command early");
        return RunnerWorkflowCommands.TryParse(line) ?? throw new AssertionException($"the runner would not read '{line}' as a command");
    }

    [TestCaseSource(nameof(AwkwardTexts))]
    public void AddMask_gives_the_runner_back_the_whole_secret_on_one_line(string value)
    {
        var command = ParseSingleLine(WorkflowCommands.AddMask(new Secret(value)));

        Assert.Multiple(() =>
        {
            Assert.That(command.Name, Is.EqualTo("add-mask"));
            Assert.That(command.Data, Is.EqualTo(value));
        });
    }

    [TestCaseSource(nameof(AwkwardTexts))]
    public void Warning_gives_the_runner_back_the_message_on_one_line(string message)
    {
        var command = ParseSingleLine(WorkflowCommands.Warning(message));

        Assert.Multiple(() =>
        {
            Assert.That(command.Name, Is.EqualTo("warning"));
            Assert.That(command.Properties, Is.Empty);
            Assert.That(command.Data, Is.EqualTo(message));
        });
    }

    [TestCaseSource(nameof(AwkwardTexts))]
    public void Notice_gives_the_runner_back_the_message_on_one_line(string message)
    {
        var command = ParseSingleLine(WorkflowCommands.Notice(message));

        Assert.That(command.Data, Is.EqualTo(message));
    }

    [TestCaseSource(nameof(AwkwardTexts))]
    public void Error_gives_the_runner_back_title_and_message_on_one_line(string text)
    {
        var title = "studio-token: " + text;
        var command = ParseSingleLine(WorkflowCommands.Error(title, text));

        Assert.Multiple(() =>
        {
            Assert.That(command.Name, Is.EqualTo("error"));
            Assert.That(command.Properties.Keys, Is.EquivalentTo(new[] { "title" }), "a ',' in the title must not start another property");
            Assert.That(command.Properties["title"], Is.EqualTo(title));
            Assert.That(command.Data, Is.EqualTo(text));
        });
    }

    [Test]
    public void Error_title_with_colons_cannot_end_the_command_info_early()
    {
        var line = WorkflowCommands.Error("a::warning::b", "message");

        Assert.Multiple(() =>
        {
            Assert.That(line, Is.EqualTo("::error title=a%3A%3Awarning%3A%3Ab::message"));
            Assert.That(ParseSingleLine(line).Data, Is.EqualTo("message"));
        });
    }

    [Test]
    public void EscapeData_escapes_percent_first_so_escapes_are_not_doubled_or_lost() =>
        Assert.That(WorkflowCommands.EscapeData("%\r\n"), Is.EqualTo("%25%0D%0A"));

    [Test]
    public void EscapeProperty_escapes_colon_and_comma_as_well() =>
        Assert.That(WorkflowCommands.EscapeProperty("%\r\n:,"), Is.EqualTo("%25%0D%0A%3A%2C"));

    [TestCaseSource(nameof(AwkwardTexts))]
    public void EscapeData_and_EscapeProperty_round_trip_through_the_runners_unescaping(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(RunnerWorkflowCommands.UnescapeData(WorkflowCommands.EscapeData(text)), Is.EqualTo(text));
            Assert.That(RunnerWorkflowCommands.UnescapeProperty(WorkflowCommands.EscapeProperty(text)), Is.EqualTo(text));
        });
    }
}
