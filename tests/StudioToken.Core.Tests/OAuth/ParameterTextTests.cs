using StudioToken.Core.OAuth;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class ParameterTextTests
{
    [Test]
    public void Reads_pairs_per_line_and_joined_with_ampersands_form_decoded()
    {
        var problems = new List<string>();

        var parameters = ParameterText.ParseExtraParameters(["team=blue&region=eu+west", "  note=a%26b  ", ""], problems);

        Assert.That(problems, Is.Empty);
        Assert.That(parameters, Is.EqualTo(new[] { new KeyValuePair<string, string>("team", "blue"), new("region", "eu west"), new("note", "a&b") }));
    }

    [Test]
    public void Reports_every_pair_without_a_name_and_keeps_the_good_ones()
    {
        var problems = new List<string>();

        var parameters = ParameterText.ParseExtraParameters(["novalue&=x&ok=1"], problems);

        Assert.That(parameters, Has.Count.EqualTo(1));
        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems, Has.All.Contain("name=value"));
    }

    [Test]
    public void Reads_resources_separated_by_spaces_or_lines_and_refuses_paths_and_relative_ones()
    {
        var problems = new List<string>();

        var resources = ParameterText.ParseResources(["https://a.example/api https://b.example/api\n/api relative"], problems);

        Assert.That(resources.Select(r => r.AbsoluteUri), Is.EqualTo(new[] { "https://a.example/api", "https://b.example/api" }));
        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems[0], Does.Contain("'/api'").And.Contain("RFC 8707"));
    }
}
