using System.Formats.Tar;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Tests.Fakes;

namespace StudioToken.GitHub.Tests.Docker;

/// <summary>The refresher's side of the hand-over: each file read once, deleted, and known by the variable the CLI reads.</summary>
[TestFixture]
public sealed class RefresherHandoverTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void The_refresher_reads_each_file_once_deletes_it_and_knows_its_value_by_the_variable_the_CLI_reads()
    {
        var files = new Dictionary<string, (string PathVariable, string Content)>
        {
            ["private-key"] = ("STUDIO_PRIVATE_KEY_FILE", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            ["id-token-request-url"] = ("STUDIO_ID_TOKEN_REQUEST_URL_FILE", "http://127.0.0.1:9/idtoken?api-version=2.0"),
            ["id-token-request-token"] = ("STUDIO_ID_TOKEN_REQUEST_TOKEN_FILE", "request-token\n"),
            ["github-token"] = ("STUDIO_GITHUB_TOKEN_FILE", "ghs_x"),
        };
        var environment = new Dictionary<string, string> { ["STUDIO_CLIENT_AUTH"] = "github_oidc" };
        foreach (var (name, (pathVariable, content)) in files)
        {
            File.WriteAllText(_directory.Combine(name), content);
            environment[pathVariable] = _directory.Combine(name);
        }

        var received = RefresherHandover.Receive(name => environment.GetValueOrDefault(name));

        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_directory.Path), Is.Empty, "every file is deleted once read");
            Assert.That(received("STUDIO_PRIVATE_KEY"), Is.EqualTo("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
            Assert.That(received("ACTIONS_ID_TOKEN_REQUEST_URL"), Is.EqualTo("http://127.0.0.1:9/idtoken?api-version=2.0"));
            Assert.That(received("ACTIONS_ID_TOKEN_REQUEST_TOKEN"), Is.EqualTo("request-token"));
            Assert.That(received(RefresherHandover.GitHubTokenVariable), Is.EqualTo("ghs_x"));
            Assert.That(received("STUDIO_CLIENT_SECRET"), Is.Null, "nothing handed over, nothing known");
            Assert.That(received("STUDIO_CLIENT_AUTH"), Is.EqualTo("github_oidc"), "other settings pass through");
            Assert.That(files.Values.Select(f => received(f.PathVariable)), Has.All.Null, "no one reads a path that is gone");
        });

        Assert.That(received("STUDIO_PRIVATE_KEY"), Is.Not.Null, "the values stay known after the first read");
    }

    [Test]
    public void What_the_action_archives_is_what_the_refresher_receives()
    {
        var secrets = new[]
        {
            new HandedOverSecret("client-secret", "STUDIO_CLIENT_SECRET_FILE", "STUDIO_CLIENT_SECRET", new Core.Security.Secret("s3cret\u00df")),
            new HandedOverSecret("github-token", "STUDIO_GITHUB_TOKEN_FILE", RefresherHandover.GitHubTokenVariable, new Core.Security.Secret("ghs_y")),
        };
        TarFile.ExtractToDirectory(new MemoryStream(RefresherHandover.Archive(secrets)), _directory.Path, overwriteFiles: false);
        // The container's /run is this test's directory.
        var environment = RefresherHandover.PathVariables(secrets)
            .ToDictionary(v => v.Key, v => _directory.Path + v.Value["/run".Length..]);

        var received = RefresherHandover.Receive(name => environment.GetValueOrDefault(name));

        Assert.Multiple(() =>
        {
            Assert.That(received("STUDIO_CLIENT_SECRET"), Is.EqualTo("s3cret\u00df"));
            Assert.That(received(RefresherHandover.GitHubTokenVariable), Is.EqualTo("ghs_y"));
            Assert.That(Directory.GetFiles(_directory.Combine("studio-token")), Is.Empty);
        });
    }

    [Test]
    public void Missing_files_are_not_values()
    {
        var environment = new Dictionary<string, string> { ["STUDIO_CLIENT_SECRET_FILE"] = _directory.Combine("gone") };

        var received = RefresherHandover.Receive(name => environment.GetValueOrDefault(name));

        Assert.Multiple(() =>
        {
            Assert.That(received("STUDIO_CLIENT_SECRET"), Is.Null);
            Assert.That(received("STUDIO_CLIENT_SECRET_FILE"), Is.Null);
        });
    }
}
