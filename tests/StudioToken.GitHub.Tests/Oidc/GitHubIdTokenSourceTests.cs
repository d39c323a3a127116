using System.Net;
using Microsoft.Extensions.Time.Testing;
using StudioToken.Core.OAuth;
using StudioToken.GitHub.Oidc;
using StudioToken.Testing;

namespace StudioToken.GitHub.Tests.Oidc;

/// <summary>The GitHub ID-token request as actions/toolkit's getIDToken makes it, and what the runner's absence of it means.</summary>
[TestFixture]
public sealed class GitHubIdTokenSourceTests
{
    private const string RequestToken = "request-token-Zq81";
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2ln";

    private static Dictionary<string, string?> RunnerEnvironment() => new()
    {
        [GitHubIdTokenSource.RequestUrlVariable] = "https://pipelines.example.com/00000000/idtoken?api-version=2.0",
        [GitHubIdTokenSource.RequestTokenVariable] = RequestToken,
    };

    [Test]
    public async Task Asks_with_the_request_token_as_bearer_and_the_audience_appended_to_the_query()
    {
        using var handler = new RecordingHttpHandler().ThenJson(HttpStatusCode.OK, $$"""{"count":2,"value":"{{Jwt}}"}""");
        using var http = new HttpClient(handler);
        var environment = RunnerEnvironment();
        var source = GitHubIdTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), "https://studio.example.com");

        var token = await source.GetAssertionAsync(CancellationToken.None);

        var (request, _) = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(token.Reveal(), Is.EqualTo(Jwt));
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Get));
            Assert.That(request.RequestUri!.AbsoluteUri, Is.EqualTo("https://pipelines.example.com/00000000/idtoken?api-version=2.0&audience=https%3A%2F%2Fstudio.example.com"));
            Assert.That(request.Headers.Authorization?.ToString(), Is.EqualTo("Bearer " + RequestToken));
            Assert.That(source.Audience, Is.EqualTo("https://studio.example.com"));
        });
    }

    [Test]
    public async Task Without_an_audience_leaves_GitHubs_default()
    {
        using var handler = new RecordingHttpHandler().ThenJson(HttpStatusCode.OK, $$"""{"value":"{{Jwt}}"}""");
        using var http = new HttpClient(handler);
        var environment = RunnerEnvironment();

        await GitHubIdTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), audience: null).GetAssertionAsync(CancellationToken.None);

        Assert.That(handler.Requests.Single().Request.RequestUri!.Query, Is.EqualTo("?api-version=2.0"));
    }

    [TestCase(GitHubIdTokenSource.RequestUrlVariable)]
    [TestCase(GitHubIdTokenSource.RequestTokenVariable)]
    public void A_job_without_the_id_token_permission_is_told_to_add_it(string missing)
    {
        var environment = RunnerEnvironment();
        environment.Remove(missing);
        using var http = new HttpClient();

        var error = Assert.Throws<TokenConfigurationException>(() => GitHubIdTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), null))!;

        Assert.That(error.Message, Does.Contain("permissions: id-token: write"));
    }

    [Test]
    public void A_refusal_names_the_permission_and_never_the_request_token()
    {
        using var handler = new RecordingHttpHandler().ThenJson(HttpStatusCode.Forbidden, $$"""{"message":"token {{RequestToken}} lacks id-token"}""");
        using var http = new HttpClient(handler);
        var environment = RunnerEnvironment();
        var source = GitHubIdTokenSource.FromEnvironment(name => environment.GetValueOrDefault(name), http, new FakeTimeProvider(), null);

        var error = Assert.ThrowsAsync<TokenRequestException>(() => source.GetAssertionAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(error.Message, Does.Contain("id-token: write"));
            Assert.That(error.Message, Does.Not.Contain(RequestToken));
        });
    }
}
