using StudioToken.GitHub.Runner;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Runner;

[TestFixture]
public sealed class FileCommandWriterTests
{
    private TemporaryDirectory _temp = null!;
    private string _file = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _file = _temp.Combine("set_env_1");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static IEnumerable<TestCaseData> AwkwardValues()
    {
        yield return new TestCaseData("plain").SetName("Round_trips_a_plain_value");
        yield return new TestCaseData(string.Empty).SetName("Round_trips_an_empty_value");
        yield return new TestCaseData("first\nsecond\nthird").SetName("Round_trips_a_value_with_newlines");
        yield return new TestCaseData("a=b=c").SetName("Round_trips_a_value_with_equals_signs");
        yield return new TestCaseData("a<<b").SetName("Round_trips_a_value_with_a_heredoc_marker");
        yield return new TestCaseData("start\nOTHER<<EOF\nX=1\nEOF\nend").SetName("Round_trips_a_value_that_looks_like_more_variables_on_its_own_lines");
        yield return new TestCaseData("OTHER<<EOF\nEOF").SetName("Round_trips_a_value_that_starts_like_a_heredoc");
        yield return new TestCaseData("X=1").SetName("Round_trips_a_value_that_looks_like_an_assignment");
        yield return new TestCaseData("trailing newline\n").SetName("Round_trips_a_value_with_a_trailing_newline");
        yield return new TestCaseData("\n\nleading newlines").SetName("Round_trips_a_value_with_leading_newlines");
        yield return new TestCaseData("carriage\r\nreturn\r").SetName("Round_trips_a_value_with_carriage_returns");
        yield return new TestCaseData("ghadelimiter_0123\nghadelimiter_").SetName("Round_trips_a_value_with_a_delimiter_like_text");
        yield return new TestCaseData("ünïcødé ✓ %0A ::add-mask::x").SetName("Round_trips_unicode_and_command_like_text");
    }

    [TestCaseSource(nameof(AwkwardValues))]
    public void Value_reads_back_as_exactly_one_variable_with_the_same_value(string value)
    {
        new FileCommandWriter(_file).Set("STUDIO_TOKEN", value);

        var pairs = RunnerFileCommands.ParseFile(_file);

        Assert.That(pairs, Is.EqualTo(new[] { new KeyValuePair<string, string>("STUDIO_TOKEN", value) }));
    }

    [Test]
    public void Several_values_in_one_file_read_back_in_order_without_bleeding_into_each_other()
    {
        var writer = new FileCommandWriter(_file);
        writer.Set("token", "a\nOTHER<<EOF\nX=1\nEOF");
        writer.Set("expires-at", "2025-03-14T10:00:00Z");
        writer.Set("token-file", "/home/runner/work/_temp/studio-token/x/token");

        var pairs = RunnerFileCommands.ParseFile(_file);

        Assert.That(pairs, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("token", "a\nOTHER<<EOF\nX=1\nEOF"),
            new("expires-at", "2025-03-14T10:00:00Z"),
            new("token-file", "/home/runner/work/_temp/studio-token/x/token"),
        }));
    }

    [Test]
    public void Appends_to_what_is_already_in_the_file()
    {
        File.WriteAllText(_file, "EARLIER=1\n");

        new FileCommandWriter(_file).Set("LATER", "2");

        Assert.That(RunnerFileCommands.ParseFile(_file), Is.EqualTo(new KeyValuePair<string, string>[] { new("EARLIER", "1"), new("LATER", "2") }));
    }

    [Test]
    public void Uses_the_heredoc_form_with_a_different_random_delimiter_for_every_value()
    {
        var writer = new FileCommandWriter(_file);
        writer.Set("A", "1");
        writer.Set("B", "2");

        var headers = File.ReadAllLines(_file).Where(line => line.Contains("<<", StringComparison.Ordinal)).ToList();
        var delimiters = headers.Select(line => line[(line.IndexOf("<<", StringComparison.Ordinal) + 2)..]).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(headers, Has.Count.EqualTo(2));
            Assert.That(headers[0], Does.StartWith("A<<"));
            Assert.That(headers[1], Does.StartWith("B<<"));
            Assert.That(delimiters, Is.Unique);
            Assert.That(delimiters, Has.All.Length.GreaterThanOrEqualTo(32), "long enough that nobody guesses it");
        });
    }

    [TestCase("", TestName = "Refuses_an_empty_name")]
    [TestCase("A=B", TestName = "Refuses_a_name_with_an_equals_sign")]
    [TestCase("A<<B", TestName = "Refuses_a_name_with_a_heredoc_marker")]
    [TestCase("A\nB", TestName = "Refuses_a_name_with_a_newline")]
    [TestCase("A\rB", TestName = "Refuses_a_name_with_a_carriage_return")]
    [TestCase(" A", TestName = "Refuses_a_name_with_a_space")]
    [TestCase("NODE_OPTIONS", TestName = "Refuses_NODE_OPTIONS")]
    [TestCase("node_options", TestName = "Refuses_node_options_in_lower_case")]
    [TestCase("Node_Options", TestName = "Refuses_Node_Options_in_mixed_case")]
    public void Invalid_name_throws_and_writes_nothing(string name)
    {
        var writer = new FileCommandWriter(_file);

        Assert.Multiple(() =>
        {
            Assert.That(() => writer.Set(name, "value"), Throws.ArgumentException);
            Assert.That(File.Exists(_file), Is.False);
        });
    }

    [TestCase("STUDIO_TOKEN")]
    [TestCase("token-file")]
    [TestCase("studio_token")]
    [TestCase("A1")]
    public void Accepts_names_the_runner_accepts(string name)
    {
        new FileCommandWriter(_file).Set(name, "v");

        Assert.That(RunnerFileCommands.ParseFile(_file).Single().Key, Is.EqualTo(name));
    }

    [Test]
    public void AddPath_writes_one_line_per_directory()
    {
        var pathFile = _temp.Combine("add_path_1");

        FileCommandWriter.AddPath(pathFile, "/home/runner/work/_temp/studio-token/x/bin");
        FileCommandWriter.AddPath(pathFile, "/opt/tools");

        Assert.That(File.ReadAllText(pathFile), Is.EqualTo("/home/runner/work/_temp/studio-token/x/bin\n/opt/tools\n"));
    }

    [TestCase("/opt/a\n/opt/b", TestName = "AddPath_refuses_a_newline")]
    [TestCase("/opt/a\r/opt/b", TestName = "AddPath_refuses_a_carriage_return")]
    [TestCase("/opt/a\r\n", TestName = "AddPath_refuses_a_trailing_line_break")]
    public void AddPath_refuses_line_breaks_and_writes_nothing(string directory)
    {
        var pathFile = _temp.Combine("add_path_1");

        Assert.Multiple(() =>
        {
            Assert.That(() => FileCommandWriter.AddPath(pathFile, directory), Throws.ArgumentException);
            Assert.That(File.Exists(pathFile), Is.False);
        });
    }

    // The parser above stands in for the runner; these keep it honest about the runner's errors.
    [TestCase("=value\n", TestName = "The_runner_parser_rejects_an_empty_name")]
    [TestCase("<<EOF\nx\nEOF\n", TestName = "The_runner_parser_rejects_an_empty_heredoc_name")]
    [TestCase("NAME<<\nx\n\n", TestName = "The_runner_parser_rejects_an_empty_delimiter")]
    [TestCase("NAME<<EOF\nx\n", TestName = "The_runner_parser_rejects_a_missing_end_marker")]
    [TestCase("NAME<<EOF\nx\nEOF \n", TestName = "The_runner_parser_rejects_an_end_marker_that_is_not_exact")]
    [TestCase("NAME\n", TestName = "The_runner_parser_rejects_a_line_without_equals_or_heredoc")]
    public void Runner_parser_rejects_malformed_files(string text) =>
        Assert.That(() => RunnerFileCommands.Parse(text), Throws.TypeOf<FormatException>());

    [Test]
    public void The_runner_parser_reads_both_forms_and_skips_empty_lines() =>
        Assert.That(
            RunnerFileCommands.Parse("A=1=2\n\nB<<EOF\nx\ny\nEOF\nC<<D=E\nz\nD=E\n"),
            Is.EqualTo(new KeyValuePair<string, string>[] { new("A", "1=2"), new("B", "x\ny"), new("C", "z") }));
}
