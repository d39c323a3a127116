using System.Text.RegularExpressions;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Action;
using StudioToken.GitHub.Inputs;

namespace StudioToken.GitHub.Tests.Action;

[TestFixture]
public sealed class JobSummaryTests
{
    private const string TokenValue = "eyJ0b2tlbi12YWx1ZQ.c2VjcmV0LXBheWxvYWQ.sig-Xq7";
    private const string ClientSecretValue = "client-secret-V3ry-s3cret";
    private const string HostDir = "/home/runner/work/_temp/studio-token/get-token-a1b2c3";
    private static readonly DateTimeOffset IssuedAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static ActionSettings Settings(string clientId = "ci-client", string? scope = "studio:script", double refreshAt = 0.5) => new(
        new TokenRequest
        {
            TokenUrl = new Uri("https://studio.example.com/api/v2/oauth/token"),
            ClientId = clientId,
            ClientSecret = new Secret(ClientSecretValue),
            Scope = scope,
        },
        EnvName: "STUDIO_TOKEN",
        TokenDir: null,
        Refresh: true,
        RefreshPolicy: new RefreshPolicy { RefreshAt = refreshAt },
        MaxLifetime: TimeSpan.FromHours(6),
        Revoke: true,
        RevocationUrl: null,
        GitHubToken: new Secret("ghs_github-token-value"),
        Summary: true);

    private static AccessToken Token(string? scope = "studio:script", TimeSpan? lifetime = null)
    {
        var expires = IssuedAt + (lifetime ?? TimeSpan.FromHours(1));
        return new AccessToken(new Secret(TokenValue), "Bearer", scope, IssuedAt, expires, IssuedAt + ((expires - IssuedAt) / 2));
    }

    private static TokenMetadata Metadata(string? lastError = null) =>
        new("Bearer", IssuedAt.AddHours(3), IssuedAt.AddHours(2), 5, "studio:script", new Uri("https://studio.example.com/api/v2/oauth/token"), lastError);

    /// <summary>The table cells of each row, split at the pipes Markdown sees (not at <c>\|</c>).</summary>
    private static IEnumerable<string[]> Rows(string markdown) => markdown
        .Split('\n')
        .Where(line => line.StartsWith('|'))
        .Select(line => Regex.Split(line.Trim(), @"(?<!\\)\|"))
        .Select(cells => cells[1..^1]);

    private static void AssertTwoColumnsEverywhere(string markdown) =>
        Assert.That(Rows(markdown), Has.All.Length.EqualTo(2), markdown);

    [Test]
    public void ForMain_names_the_client_authentication_method_and_never_its_credential()
    {
        var text = JobSummary.ForMain(Settings(), Token(), HostDir, refreshing: true);

        Assert.Multiple(() =>
        {
            Assert.That(Rows(text).Select(cells => (cells[0].Trim(), cells[1].Trim())), Does.Contain(("client authentication", "client_secret_basic")));
            Assert.That(text, Does.Not.Contain(ClientSecretValue));
        });
    }

    [Test]
    public void ForMain_shows_the_endpoint_client_scope_expiry_file_and_refresh_plan()
    {
        var text = JobSummary.ForMain(Settings(), Token(), HostDir, refreshing: true);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("https://studio.example.com/api/v2/oauth/token"));
            Assert.That(text, Does.Contain("`ci-client`"));
            Assert.That(text, Does.Contain("`studio:script`"));
            Assert.That(text, Does.Contain("2025-03-14T10:00:00Z (lifetime 1h)"));
            Assert.That(text, Does.Contain($"`{HostDir}/token`"));
            Assert.That(text, Does.Contain("every ~30m (0.5 of the lifetime), for at most 6h"));
            AssertTwoColumnsEverywhere(text);
        });
    }

    [Test]
    public void ForMain_says_the_refresh_plan_is_off_when_not_refreshing()
    {
        var text = JobSummary.ForMain(Settings(), Token(), HostDir, refreshing: false);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("| refresh plan | **off**"));
            Assert.That(text, Does.Not.Contain("every ~"));
        });
    }

    [Test]
    public void ForMain_never_contains_the_token_or_a_secret()
    {
        foreach (var refreshing in new[] { true, false })
        {
            var text = JobSummary.ForMain(Settings(), Token(), HostDir, refreshing);

            Assert.That(text, Does.Not.Contain(TokenValue).And.Not.Contain(ClientSecretValue).And.Not.Contain("ghs_github-token-value"));
        }
    }

    [Test]
    public void ForMain_escapes_pipes_and_line_breaks_in_values_so_the_table_keeps_its_shape()
    {
        var text = JobSummary.ForMain(Settings(clientId: "ci|client", scope: null), Token(scope: "a|b\nc"), "/tmp/odd|dir", refreshing: true);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("`ci\\|client`"));
            Assert.That(text, Does.Contain("`a\\|b c`"));
            Assert.That(text, Does.Contain("`/tmp/odd\\|dir/token`"));
            AssertTwoColumnsEverywhere(text);
        });
    }

    [Test]
    public void ForMain_falls_back_to_the_requested_scope_then_to_default()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobSummary.ForMain(Settings(scope: "studio:read"), Token(scope: null), HostDir, true), Does.Contain("`studio:read`"));
            Assert.That(JobSummary.ForMain(Settings(scope: null), Token(scope: null), HostDir, true), Does.Contain("`(default)`"));
        });
    }

    [Test]
    public void ForPost_reports_generations_last_refresh_error_and_revocation()
    {
        var text = JobSummary.ForPost(Metadata(), 2, "revoked");

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("| tokens issued | 5 (4 refreshes) |"));
            Assert.That(text, Does.Contain("| last refreshed | 2025-03-14T11:00:00Z |"));
            Assert.That(text, Does.Contain("| last error | none |"));
            Assert.That(text, Does.Contain("| failed refreshes | 2 |"));
            Assert.That(text, Does.Contain("| revocation | revoked |"));
            AssertTwoColumnsEverywhere(text);
        });
    }

    [Test]
    public void ForPost_escapes_pipes_and_line_breaks_in_the_error_and_revocation()
    {
        var text = JobSummary.ForPost(Metadata("endpoint answered 503 | busy\nretrying"), 1, "failed: answered 400 | bad");

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("endpoint answered 503 \\| busy retrying"));
            Assert.That(text, Does.Contain("failed: answered 400 \\| bad"));
            AssertTwoColumnsEverywhere(text);
        });
    }

    [Test]
    public void ForPost_without_metadata_says_there_was_nothing_to_report()
    {
        var text = JobSummary.ForPost(null, null, "skipped (no unexpired token)");

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("No token directory was left to report on."));
            Assert.That(Rows(text), Is.Empty);
        });
    }

    [Test]
    public void ForPost_never_contains_the_token_or_a_secret()
    {
        var text = JobSummary.ForPost(Metadata("token endpoint answered 401 invalid_client"), null, "revoked");

        Assert.That(text, Does.Not.Contain(TokenValue).And.Not.Contain(ClientSecretValue));
    }
}
