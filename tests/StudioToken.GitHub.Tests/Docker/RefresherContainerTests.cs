using System.Formats.Tar;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using StudioToken.Core.Storage;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Inputs;
using StudioToken.GitHub.Tests.Fakes;
using StudioToken.Testing;

namespace StudioToken.GitHub.Tests.Docker;

/// <summary>
/// What the refresher container is created with (<c>docker inspect</c> shows all of it) and what is copied into it
/// before it starts, for each way the client authenticates.
/// </summary>
[TestFixture]
public sealed class RefresherContainerTests
{
    private const string ClientSecret = "refresher-secret-Qx1";
    private const string GitHubToken = "ghs_refresher-token-Zz9";
    private const string IdTokenRequestUrl = "https://pipelines.example.com/plan-7/jobs/job-9/idtoken?api-version=2.0";
    private const string IdTokenRequestToken = "id-token-request-token-Kk4";

    // Made for this run: no key lives in the repository.
    private static readonly string KeyPem = RSA.Create(2048).ExportPkcs8PrivateKeyPem();

    private static readonly TokenDirectoryPlacement Placement =
        new("/github/runner_temp/studio-token/fetch-token-a1b2c3", RunnerMounts.HostTemp + "/studio-token/fetch-token-a1b2c3", null);

    private static readonly SelfContainer Self = new("0123456789ab", "sha256:image", RunnerMounts.All);

    private Dictionary<string, string> _environment = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp()
    {
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["INPUT_TOKEN-URL"] = "https://studio.example.com/api/v2/oauth/token",
            ["INPUT_CLIENT-ID"] = "ci-client",
            ["INPUT_GITHUB-TOKEN"] = GitHubToken,
            ["GITHUB_REPOSITORY"] = "org/repo",
            ["GITHUB_RUN_ID"] = "42",
            ["GITHUB_RUN_ATTEMPT"] = "1",
            // A job with `permissions: id-token: write` has these whatever its method: only github_oidc hands them over.
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = IdTokenRequestUrl,
            ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = IdTokenRequestToken,
        };
        _http = new HttpClient(new RecordingHttpHandler());
    }

    [TearDown]
    public void TearDown() => _http.Dispose();

    [Test]
    public void A_client_secret_goes_in_the_archive_and_only_its_path_in_the_environment()
    {
        Set("client-secret", ClientSecret);

        var (spec, files) = Build();

        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new Dictionary<string, string> { ["client-secret"] = ClientSecret, ["github-token"] = GitHubToken }));
            Assert.That(Env(spec), Does.Contain("STUDIO_CLIENT_SECRET_FILE=/run/studio-token/client-secret"));
            Assert.That(Env(spec), Does.Contain("STUDIO_CLIENT_AUTH=client_secret_basic"));
        });
        AssertNoSecretIn(spec);
    }

    [Test]
    public void A_private_key_goes_in_the_archive_as_a_file_and_its_assertion_settings_in_the_environment()
    {
        Set("client-auth", "private_key_jwt");
        Set("private-key", KeyPem);
        Set("key-id", "key-1");
        Set("assertion-audience", "https://id.example.com/");
        Set("assertion-type", "client-authentication+jwt");

        var (spec, files) = Build();

        Assert.Multiple(() =>
        {
            Assert.That(files.Keys, Is.EquivalentTo(new[] { "private-key", "github-token" }));
            Assert.That(files["private-key"], Is.EqualTo(KeyPem.Trim()));
            Assert.That(Env(spec), Is.SupersetOf(new[]
            {
                "STUDIO_CLIENT_AUTH=private_key_jwt",
                "STUDIO_PRIVATE_KEY_FILE=/run/studio-token/private-key",
                "STUDIO_KEY_ID=key-1",
                "STUDIO_ASSERTION_AUDIENCE=https://id.example.com/",
                "STUDIO_ASSERTION_TYPE=client-authentication+jwt",
            }));
            Assert.That(Env(spec), Has.None.StartsWith("STUDIO_CLIENT_SECRET"));
        });
        AssertNoSecretIn(spec);
    }

    [Test]
    public void Github_oidc_hands_over_the_runners_ID_token_request_so_the_refresher_can_ask_for_new_ID_tokens()
    {
        Set("client-auth", "github_oidc");
        Set("oidc-audience", "https://studio.example.com");
        Set("grant", "token-exchange");

        var (spec, files) = Build();

        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new Dictionary<string, string>
            {
                ["id-token-request-url"] = IdTokenRequestUrl,
                ["id-token-request-token"] = IdTokenRequestToken,
                ["github-token"] = GitHubToken,
            }));
            Assert.That(Env(spec), Is.SupersetOf(new[]
            {
                "STUDIO_CLIENT_AUTH=github_oidc",
                "STUDIO_OIDC_AUDIENCE=https://studio.example.com",
                "STUDIO_GRANT=token-exchange",
                "STUDIO_SUBJECT_TOKEN_TYPE=urn:ietf:params:oauth:token-type:jwt",
                "STUDIO_ID_TOKEN_REQUEST_URL_FILE=/run/studio-token/id-token-request-url",
                "STUDIO_ID_TOKEN_REQUEST_TOKEN_FILE=/run/studio-token/id-token-request-token",
            }));
            Assert.That(Env(spec), Has.None.StartsWith("ACTIONS_"));
        });
        AssertNoSecretIn(spec);
    }

    [Test]
    public void The_archive_holds_a_private_directory_of_owner_read_only_files()
    {
        Set("client-secret", ClientSecret);
        var settings = Settings();

        using var tar = new TarReader(new MemoryStream(RefresherHandover.Archive(RefresherHandover.SecretsFor(settings, Environment))));
        var entries = new List<(string Name, UnixFileMode Mode)>();
        while (tar.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name, entry.Mode));
        }

        Assert.That(entries, Is.EqualTo(new[]
        {
            ("studio-token/", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
            ("studio-token/client-secret", UnixFileMode.UserRead),
            ("studio-token/github-token", UnixFileMode.UserRead),
        }));
    }

    private void Set(string input, string value) => _environment["INPUT_" + input.ToUpperInvariant()] = value;

    private string? Environment(string name) => _environment.TryGetValue(name, out var value) ? value : null;

    private ActionSettings Settings()
    {
        var settings = new ActionInputs(Environment, _http, new FakeTimeProvider()).TryRead(out var errors);
        Assert.That(errors, Is.Empty, () => string.Join("; ", errors));
        return settings!;
    }

    private (JObject Spec, Dictionary<string, string> Files) Build()
    {
        var settings = Settings();
        var context = new ActionContext(Environment, TextWriter.Null, new FakeTimeProvider(), () => throw new AssertionException("no HTTP here"));
        var secrets = RefresherHandover.SecretsFor(settings, Environment);
        var spec = RefresherContainer.Spec(Self, settings, Placement, new FileOwner(1001, 1001), context, secrets);

        var files = new Dictionary<string, string>();
        using var tar = new TarReader(new MemoryStream(RefresherHandover.Archive(secrets)));
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile)
            {
                files[entry.Name["studio-token/".Length..]] = new StreamReader(entry.DataStream!).ReadToEnd();
            }
        }

        return (spec, files);
    }

    private static List<string> Env(JObject spec) => spec["Env"]!.Values<string>().OfType<string>().ToList();

    private static void AssertNoSecretIn(JObject spec)
    {
        var json = spec.ToString();
        foreach (var (secret, what) in new[]
        {
            (ClientSecret, "the client secret"), (GitHubToken, "the GitHub token"), (IdTokenRequestToken, "the ID-token request token"),
            (IdTokenRequestUrl, "the ID-token request URL"), (KeyPem.Trim(), "the private key"),
        })
        {
            SecretScan.AssertAbsent(json, secret, what);
        }

        // Nor any line of the key's body, in case it went in piece by piece.
        foreach (var line in KeyPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length > 0))
        {
            Assert.That(json, Does.Not.Contain(line.Trim()), "a line of the private key leaked into the container's configuration");
        }
    }
}
