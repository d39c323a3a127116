using StudioToken.Azure.Agent;
using StudioToken.Azure.Tests.Fakes;

namespace StudioToken.Azure.Tests.Agent;

[TestFixture]
public sealed class LoggingCommandsTests
{
    /// <summary>Every character the escaping exists for, next to text that looks like an escape already.</summary>
    private static readonly string[] Awkward =
    [
        "plain",
        "100%",
        "%AZP25",
        "%25 %0A %0D %3B %5D",
        "%AZP253B",
        "a;b]c",
        "line one\nline two\r\nline three\rend",
        "]%;\r\n=",
        "=starts with equals",
        "a=b=c",
        "##vso[task.setvariable variable=X]evil",
        "basic-secret-Ω1 +%",
        "trailing %",
        "%0",
    ];

    [TestCase("100%", "100%AZP25")]
    [TestCase("a\rb", "a%0Db")]
    [TestCase("a\nb", "a%0Ab")]
    [TestCase("a\r\nb", "a%0D%0Ab")]
    [TestCase("%0A", "%AZP250A")]
    [TestCase("a;b]c", "a;b]c")]
    public void Escapes_data_percent_CR_and_LF(string value, string escaped) =>
        Assert.That(LoggingCommands.EscapeData(value), Is.EqualTo(escaped));

    [TestCase("100%", "100%AZP25")]
    [TestCase("a\r\nb", "a%0D%0Ab")]
    [TestCase("a]b", "a%5Db")]
    [TestCase("a;b", "a%3Bb")]
    [TestCase("%5D", "%AZP255D")]
    [TestCase("%3B;", "%AZP253B%3B")]
    public void Escapes_properties_also_for_close_bracket_and_semicolon(string value, string escaped) =>
        Assert.That(LoggingCommands.EscapeProperty(value), Is.EqualTo(escaped));

    [Test]
    public void SetSecret_puts_the_escaped_value_in_the_data() =>
        Assert.That(LoggingCommands.SetSecret("s3cr%t\n"), Is.EqualTo("##vso[task.setsecret]s3cr%AZP25t%0A"));

    [Test]
    public void SetVariable_without_issecret_names_only_the_variable() =>
        Assert.That(LoggingCommands.SetVariable("STUDIO_TOKEN_FILE", "/tmp/a;b/token"), Is.EqualTo("##vso[task.setvariable variable=STUDIO_TOKEN_FILE]/tmp/a;b/token"));

    [Test]
    public void SetVariable_with_issecret_marks_the_variable_secret()
    {
        var line = LoggingCommands.SetVariable("STUDIO_TOKEN", "eyJ.abc", isSecret: true);

        Assert.That(line, Is.EqualTo("##vso[task.setvariable variable=STUDIO_TOKEN;issecret=true]eyJ.abc"));
        var parsed = AgentLoggingCommands.TryParse(line)!;
        Assert.That(parsed.Property("issecret"), Is.EqualTo("true"));
    }

    [Test]
    public void SetTaskVariable_is_the_settaskvariable_command() =>
        Assert.That(LoggingCommands.SetTaskVariable("studioTokenDir", "/agent/_temp/studio-token/ab12"), Is.EqualTo("##vso[task.settaskvariable variable=studioTokenDir]/agent/_temp/studio-token/ab12"));

    [Test]
    public void PrependPath_is_the_prependpath_command() =>
        Assert.That(LoggingCommands.PrependPath("/opt/studio token/bin"), Is.EqualTo("##vso[task.prependpath]/opt/studio token/bin"));

    [TestCase("warning")]
    [TestCase("error")]
    public void LogIssue_carries_its_type_and_escaped_message(string type) =>
        Assert.That(LoggingCommands.LogIssue(type, "50% failed\nsee log"), Is.EqualTo($"##vso[task.logissue type={type}]50%AZP25 failed%0Asee log"));

    [Test]
    public void A_property_value_with_a_close_bracket_or_semicolon_does_not_end_the_command_early()
    {
        var line = LoggingCommands.Format("task.setvariable", [new("variable", "A]B;issecret=false")], "value");

        var parsed = AgentLoggingCommands.TryParse(line)!;
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Name, Is.EqualTo("task.setvariable"));
            Assert.That(parsed.Property("variable"), Is.EqualTo("A]B;issecret=false"));
            Assert.That(parsed.Properties.ContainsKey("issecret"), Is.False, "a ';' in a value must not add a property");
            Assert.That(parsed.Data, Is.EqualTo("value"));
        });
    }

    [TestCaseSource(nameof(Awkward))]
    public void Data_survives_the_agents_unescaping(string value)
    {
        var parsed = AgentLoggingCommands.TryParse(LoggingCommands.SetSecret(value));

        Assert.That(parsed, Is.Not.Null);
        Assert.That(parsed!.Data, Is.EqualTo(value));
    }

    /// <summary>
    /// The agent splits <c>name=value</c> with RemoveEmptyEntries, so a value that starts with <c>=</c> loses it: no
    /// escaping can help, and no property the task writes (variable names, <c>true</c>, issue types) starts so.
    /// </summary>
    private static IEnumerable<string> AwkwardPropertyValues() => Awkward.Where(value => !value.StartsWith('='));

    [TestCaseSource(nameof(AwkwardPropertyValues))]
    public void Property_values_and_data_survive_the_agents_unescaping(string value)
    {
        var line = LoggingCommands.Format("task.setvariable", [new("variable", value), new("issecret", "true")], value);

        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "one command is one line");
        Assert.That(line, Does.Not.Contain("\r"));
        var parsed = AgentLoggingCommands.TryParse(line)!;
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Name, Is.EqualTo("task.setvariable"));
            Assert.That(parsed.Property("variable"), Is.EqualTo(value));
            Assert.That(parsed.Property("issecret"), Is.EqualTo("true"));
            Assert.That(parsed.Data, Is.EqualTo(value));
        });
    }

    [Test]
    public void Every_character_together_survives_the_agents_unescaping()
    {
        var everything = string.Concat(Awkward) + string.Concat(Enumerable.Range(0, 128).Select(c => (char)c));

        Assert.That(AgentLoggingCommands.TryParse(LoggingCommands.LogIssue("warning", everything))!.Data, Is.EqualTo(everything));
        Assert.That(AgentLoggingCommands.TryParse(LoggingCommands.SetTaskVariable(everything, everything))!.Property("variable"), Is.EqualTo(everything));
    }

    [TestCase("##vso[task.setvariable variable=EVIL]1")]
    [TestCase("the server said: ##vso[task.complete result=Failed]done")]
    [TestCase("##VSO[task.setvariable variable=EVIL]1")]
    [TestCase("##Vso[task.prependpath]/evil")]
    [TestCase("x ##vso[task.setsecret]abc ##vso[task.setvariable variable=Y]2")]
    public void Neutralize_makes_a_logging_command_anywhere_in_the_text_unrecognisable(string text)
    {
        var neutral = LoggingCommands.Neutralize(text);

        Assert.That(neutral, Does.Not.Contain("##vso[").IgnoreCase);
        Assert.That(AgentLoggingCommands.TryParse(neutral), Is.Null);
    }

    [TestCase("##[error]a fake error")]
    [TestCase("##[section]Starting: fake")]
    [TestCase("note: ##[group]folded")]
    public void Neutralize_makes_log_formatting_unrecognisable(string text) =>
        Assert.That(LoggingCommands.Neutralize(text), Does.Not.Contain("##["));

    [TestCase("first\n##vso[task.setvariable variable=EVIL]1")]
    [TestCase("first\r##[error]fake")]
    [TestCase("first\r\nsecond\n\nthird")]
    [TestCase("##vs\no[task.setsecret]x")]
    public void Neutralize_keeps_the_text_on_one_line(string text)
    {
        var neutral = LoggingCommands.Neutralize(text);

        Assert.Multiple(() =>
        {
            Assert.That(neutral, Does.Not.Contain("\n").And.Not.Contain("\r"));
            Assert.That(neutral, Does.Not.Contain("##vso[").IgnoreCase.And.Not.Contain("##["));
            Assert.That(new AgentOutput(neutral).Lines, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Neutralize_leaves_ordinary_text_alone() =>
        Assert.That(LoggingCommands.Neutralize("studio-token: wrote /tmp/x/token (expires 2026-01-15T10:00:00Z); 100% ok #1 [done]"), Is.EqualTo("studio-token: wrote /tmp/x/token (expires 2026-01-15T10:00:00Z); 100% ok #1 [done]"));
}
