using Newtonsoft.Json.Linq;
using StudioToken.LocalEndpoint;
using StudioToken.Testing;

namespace StudioToken.Cli.Tests.Commands;

public sealed class FetchCommandTests : EndpointFixture
{
    private string _tokenDir = null!;

    [SetUp]
    public void CreateDirectoryName() => _tokenDir = NewTempDirectory();

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_tokenDir))
        {
            Directory.Delete(_tokenDir, recursive: true);
        }
    }

    [Test]
    public async Task Prints_the_token_and_nothing_else_on_standard_output()
    {
        var run = await CliHarness.RunAsync(["fetch"], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Match(@"^[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+$"));
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    [Test]
    public async Task Sends_client_secret_post_when_asked()
    {
        var before = Endpoint.RequestCount;
        var run = await CliHarness.RunAsync(["fetch", "--client-auth", "client_secret_post"], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var request = Endpoint.Requests[before];
        Assert.That(request.Headers.ContainsKey("Authorization"), Is.False);
        Assert.That(request.Form, Does.Contain(new KeyValuePair<string, string>("client_secret", ClientSecret)));
    }

    [Test]
    public async Task With_a_token_dir_writes_both_files_and_prints_nothing()
    {
        var run = await CliHarness.RunAsync(["fetch", "--token-dir", _tokenDir], Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Is.Empty);
        var token = await File.ReadAllTextAsync(Path.Combine(_tokenDir, "token"));
        var metadata = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_tokenDir, "token.json")));
        Assert.Multiple(() =>
        {
            Assert.That(token, Does.Not.EndWith("\n"));
            Assert.That(token.Split('.'), Has.Length.EqualTo(3));
            Assert.That((long)metadata["generation"]!, Is.EqualTo(1));
            Assert.That((string?)metadata["token_url"], Is.EqualTo(Endpoint.TokenUrl.AbsoluteUri));
            Assert.That(metadata.ToString(), Does.Not.Contain(token));
        });
    }

    [Test]
    public async Task Json_output_holds_no_token_unless_asked()
    {
        var without = await CliHarness.RunAsync(["fetch", "--output", "json"], Environment());
        var with = await CliHarness.RunAsync(["fetch", "--output", "json", "--include-token"], Environment());

        Assert.That(without.ExitCode, Is.Zero, without.ToString());
        var plain = JObject.Parse(without.Output);
        Assert.That(plain.ContainsKey("access_token"), Is.False);
        Assert.That((string?)plain["token_type"], Is.EqualTo("Bearer"));
        Assert.That((long)plain["expires_in"]!, Is.InRange(590, 600));
        Assert.That((string?)JObject.Parse(with.Output)["access_token"], Is.Not.Empty);
    }

    [Test]
    public async Task Without_a_token_url_exits_1_naming_the_option()
    {
        var environment = Environment();
        environment.Remove("STUDIO_TOKEN_URL");

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error.Trim(), Does.StartWith("studio-token: error: --token-url: is required"));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_secret_on_the_command_line_exits_1_without_echoing_it()
    {
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");

        var run = await CliHarness.RunAsync(["fetch", "--client-secret", "argv-secret-123"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("STUDIO_CLIENT_SECRET"));
        Assert.That(run.AllText, Does.Not.Contain("argv-secret-123"));
    }

    [Test]
    public async Task Without_any_secret_exits_1_and_says_where_to_put_one()
    {
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");

        var run = await CliHarness.RunAsync(["fetch"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("no client secret").And.Contain("--client-secret-file"));
    }

    [Test]
    public async Task Reads_the_secret_from_a_file_without_its_trailing_newline()
    {
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, ClientSecret + "\n");
        try
        {
            var run = await CliHarness.RunAsync(["fetch", "--client-secret-file", file], environment);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Reads_the_secret_from_standard_input()
    {
        var environment = Environment();
        environment.Remove("STUDIO_CLIENT_SECRET");

        var run = await CliHarness.RunAsync(["fetch", "--client-secret-stdin"], environment, standardInput: ClientSecret + "\n");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    [Test]
    public async Task A_wrong_secret_exits_2_naming_invalid_client_and_never_prints_the_secret()
    {
        const string wrong = "wrong-secret-\u00fc 42";
        var run = await CliHarness.RunAsync(["fetch", "--token-dir", _tokenDir], Environment(("STUDIO_CLIENT_SECRET", wrong)));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("invalid_client"));
        SecretScan.AssertAbsent(run.AllText, wrong, "the wrong secret");
        Assert.That(Directory.Exists(_tokenDir), Is.False, "a rejected request must not create the token directory");
    }

    [Test]
    public async Task A_scope_the_client_may_not_have_exits_2_naming_invalid_scope()
    {
        var run = await CliHarness.RunAsync(["fetch", "--scope", "studio:admin"], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("invalid_scope"));
    }

    [Test]
    public async Task An_endpoint_that_cannot_be_reached_exits_3()
    {
        var run = await CliHarness.RunAsync(["fetch", "--max-attempts", "1"], Environment(("STUDIO_TOKEN_URL", "http://127.0.0.1:9/api/v2/oauth/token")));

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("could not reach the token endpoint").And.Contain("gave up after 1 attempts"));
    }

    [Test]
    public async Task Plain_http_to_a_remote_host_is_refused_before_any_request()
    {
        var run = await CliHarness.RunAsync(["fetch"], Environment(("STUDIO_TOKEN_URL", "http://studio.example.com/api/v2/oauth/token")));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("https://"));
    }

    [TestCase("--refresh-at", "1.5", "between 0 and 1")]
    [TestCase("--timeout", "soon", "not a duration")]
    [TestCase("--client-auth", "private_key_jwt_x", "not supported")]
    [TestCase("--max-attempts", "0", "above 0")]
    [TestCase("--output", "yaml", "raw, json or none")]
    [TestCase("--extra-params", "novalue", "name=value")]
    [TestCase("--extra-params", "grant_type=password", "cannot be set")]
    [TestCase("--owner", "root", "uid or uid:gid")]
    public async Task A_bad_option_exits_1_with_one_line_naming_it(string option, string value, string hint)
    {
        var run = await CliHarness.RunAsync(["fetch", option, value, "--token-dir", _tokenDir], Environment());

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Error, Does.Contain(hint));
        Assert.That(Directory.Exists(_tokenDir), Is.False, "nothing may be written for a bad input");
    }

    [Test]
    public async Task A_flag_wins_over_its_environment_variable()
    {
        var run = await CliHarness.RunAsync(["fetch", "--scope", "studio:script"], Environment(("STUDIO_SCOPE", "studio:admin")));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    [Test]
    public async Task Sends_audience_resources_and_extra_parameters()
    {
        var before = Endpoint.RequestCount;
        var run = await CliHarness.RunAsync(
            ["fetch", "--audience", "studio", "--resource", "https://a.example/api", "--resource", "https://b.example/api", "--extra-params", "team=blue&region=eu west"],
            Environment());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var form = Endpoint.Requests[before].Form;
        Assert.That(form, Does.Contain(new KeyValuePair<string, string>("audience", "studio")));
        Assert.That(form.Where(p => p.Key == "resource").Select(p => p.Value), Is.EqualTo(new[] { "https://a.example/api", "https://b.example/api" }));
        Assert.That(form, Does.Contain(new KeyValuePair<string, string>("region", "eu west")));
    }

    [Test]
    public async Task Masks_the_token_for_GitHub_Actions_before_printing_it()
    {
        var run = await CliHarness.RunAsync(["fetch"], Environment(("GITHUB_ACTIONS", "true")));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Does.Contain("::add-mask::" + run.Output));
    }

    [Test]
    public async Task Retries_a_503_and_succeeds()
    {
        Endpoint.EnqueueFault(new EndpointFault.ServerError(503));
        var clock = new TimerDrivenClock();

        var running = CliHarness.RunAsync(["fetch", "--timeout", "0"], Environment(), timeProvider: clock);
        var due = await clock.NextTimerAsync();
        clock.Advance(due);
        var run = await running;

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Does.Contain("attempt 1 of 5 failed").And.Contain("503"));
    }
}
