using System.Net;
using System.Net.Sockets;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.TestServer;

namespace StudioToken.Entra.Tests;

/// <summary>Entra's refusals and outages as the retry and refresh policies see them, with nothing secret in the messages.</summary>
public sealed class EntraFailureTests
{
    private const string SecretValue = "Xy7~s3cret-value.Qz";

    [Test]
    public async Task A_wrong_secret_is_rejected_with_entras_code_and_a_hint_and_without_the_secret()
    {
        await using var entra = await EntraFixture.StartAsync(new EntraStandInOptions { ClientSecret = "the-right-one" });
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(failure.Message, Does.StartWith("Entra ID answered 401 Unauthorized invalid_client: AADSTS7000215: Invalid client secret provided."));
            Assert.That(failure.Message, Does.Contain("check the client id and the client secret"));
            Assert.That(failure.Message, Does.Not.Contain("Trace ID"), "one line");
            Assert.That(failure.Message, Does.Not.Contain('\n'));
            Assert.That(failure.ToString(), Does.Not.Contain(SecretValue));
        });
    }

    [Test]
    public async Task A_secret_echoed_by_the_server_is_not_in_the_message()
    {
        await using var entra = await EntraFixture.StartAsync();
        entra.StandIn.Enqueue(EntraStandInAnswer.Error(400, "invalid_request", $"AADSTS900144: bad client_secret={SecretValue} given"));
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.Message, Does.Contain("client_secret=*** given"));
            Assert.That(failure.ToString(), Does.Not.Contain(SecretValue));
        });
    }

    [Test]
    public async Task A_federated_assertion_refused_or_echoed_gets_the_federation_hint_and_stays_out_of_the_message()
    {
        await using var entra = await EntraFixture.StartAsync();
        var idToken = Jwt.FakeIdToken(7);
        var idTokens = new Mock<IClientAssertionSource>(MockBehavior.Strict);
        idTokens.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new Secret(idToken));

        // Echoed cut short, as a server truncating its description would: the signed part alone still gives it away.
        entra.StandIn.Enqueue(EntraStandInAnswer.Error(400, "invalid_client", $"AADSTS70021: No matching federated identity record found for presented assertion {idToken[..40]}"));
        var source = entra.Source(new EntraCredential.FederatedAssertion(idTokens.Object));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.Message, Does.Contain("AADSTS70021"));
            Assert.That(failure.Message, Does.Contain("audience api://AzureADTokenExchange"));
            Assert.That(failure.ToString(), Does.Not.Contain(idToken[..20]));
        });
    }

    [Test]
    public async Task A_503_is_transient_and_msal_does_not_retry_it_behind_our_back()
    {
        await using var entra = await EntraFixture.StartAsync();
        entra.StandIn.Enqueue(new EntraStandInAnswer(503, "<html>busy</html>"));
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(failure.Message, Is.EqualTo("Entra ID answered 503 ServiceUnavailable"));
            Assert.That(entra.StandIn.TokenRequests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_429_is_transient_with_its_retry_after_and_msal_holds_back_the_next_attempt_until_then()
    {
        await using var entra = await EntraFixture.StartAsync();
        entra.StandIn.Enqueue(EntraStandInAnswer.Error(429, "temporarily_unavailable", "AADSTS50196: The server terminated an operation because it encountered a client request loop.", retryAfter: "120"));
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var first = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;
        var second = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(first.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(first.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(second.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(second.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(entra.StandIn.TokenRequests, Has.Count.EqualTo(1), "MSAL throttles the repeat itself, with no request");
            Assert.That(first.Message, Is.EqualTo("Entra ID answered 429 TooManyRequests temporarily_unavailable"));
            Assert.That(second.Message, Does.StartWith("Entra ID asked to wait 120 s"));
        });
    }

    [Test]
    public async Task An_html_page_at_the_token_endpoint_is_a_bad_response()
    {
        await using var entra = await EntraFixture.StartAsync();
        entra.StandIn.Enqueue(new EntraStandInAnswer(404, "<html>not here</html>"));
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(failure.Message, Is.EqualTo("Entra ID answered 404 NotFound, not a token response; check the tenant id and the authority host"));
        });
    }

    [Test]
    public async Task A_token_outside_rfc_6750_syntax_is_refused()
    {
        await using var entra = await EntraFixture.StartAsync();
        entra.StandIn.Enqueue(new EntraStandInAnswer(200, """{"token_type":"Bearer","expires_in":3599,"access_token":"abc\r\n::set-output name=x::y"}"""));
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret(SecretValue)));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
    }

    [Test]
    public async Task A_closed_port_is_transient()
    {
        await using var entra = await EntraFixture.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = TokenClient.CreateHttpClient();
        var settings = entra.Settings(new EntraCredential.ClientSecret(new Secret(SecretValue))) with { AuthorityHost = new Uri($"https://127.0.0.1:{closedPort}/") };
        var source = new EntraTokenSource(settings, http, entra.Clock, new(), new Random(1), entra.Redactor);

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(failure.Message, Does.StartWith($"could not reach Entra ID at https://127.0.0.1:{closedPort}"));
        });
    }

    [Test]
    public async Task An_id_token_that_cannot_be_had_fails_as_the_assertion_source_says()
    {
        await using var entra = await EntraFixture.StartAsync();
        var idTokens = new Mock<IClientAssertionSource>(MockBehavior.Strict);
        idTokens.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenRequestException(TokenFailureKind.Rejected, "the job lacks permissions: id-token: write"));
        var source = entra.Source(new EntraCredential.FederatedAssertion(idTokens.Object));

        var failure = Assert.ThrowsAsync<TokenRequestException>(() => source.RequestTokenAsync(CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(failure.Message, Is.EqualTo("the job lacks permissions: id-token: write"));
            Assert.That(entra.StandIn.Requests, Is.Empty);
        });
    }
}
