using System.Text.RegularExpressions;
using StudioToken.Testing;

namespace StudioToken.Cli.Tests;

/// <summary>
/// docs/cli.md shows each command's <c>--help</c> verbatim; this keeps it so. After changing an option, run the tests
/// with <c>STUDIO_UPDATE_DOCS=1</c> to rewrite the blocks, and review the diff.
/// </summary>
[TestFixture]
public sealed class CliReferenceDocTests
{
    private static readonly string DocPath = Path.Combine(RepositoryRoot(), "docs", "cli.md");

    [TestCase("fetch")]
    [TestCase("refresh")]
    [TestCase("get")]
    [TestCase("exec")]
    [TestCase("demo")]
    public async Task The_reference_shows_the_commands_help_as_it_is(string command)
    {
        var help = await CliHarness.RunAsync([command, "--help"]);
        // In-process the root command is named after the test host, where the published binary says studio-token.
        var expected = Normalise(help.Output.Replace("  testhost ", "  studio-token ", StringComparison.Ordinal));
        var doc = await File.ReadAllTextAsync(DocPath);
        var block = HelpBlock(command).Match(doc);
        Assert.That(block.Success, Is.True, $"docs/cli.md has no ``` block under ## `studio-token {command}`");

        if (System.Environment.GetEnvironmentVariable("STUDIO_UPDATE_DOCS") == "1")
        {
            var updated = doc[..block.Groups["help"].Index] + expected + "\n" + doc[(block.Groups["help"].Index + block.Groups["help"].Length)..];
            await File.WriteAllTextAsync(DocPath, updated);
            return;
        }

        Assert.That(Normalise(block.Groups["help"].Value), Is.EqualTo(expected), $"docs/cli.md's help for {command} is stale; run the tests with STUDIO_UPDATE_DOCS=1");
    }

    private static Regex HelpBlock(string command) =>
        new($"^## `studio-token {Regex.Escape(command)}`\\n\\n```\\n(?<help>.*?)```$", RegexOptions.Singleline | RegexOptions.Multiline);

    private static string Normalise(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())).Trim('\n');

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Actions.sln) above the test assembly");
    }
}
