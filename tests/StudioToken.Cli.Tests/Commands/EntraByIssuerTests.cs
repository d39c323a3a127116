using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Cli.Tests.Commands;

/// <summary>
/// Entra ID without MSAL: the generic client with <c>--issuer https://HOST/TENANT/v2.0</c>, as the GitHub Action (whose
/// image leaves MSAL out) reaches it. The HTTPS Entra stand-in serves the tenant's v2.0 OpenID configuration and its
/// token endpoint on 127.0.0.1, trusted by its certificate alone.
/// </summary>
[CancelAfter(60_000)]
public sealed class EntraByIssuerTests
{
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private const string ClientSecret = "entra-issuer-s3cret~+%";

    [Test]
    public async Task Discovers_the_tenants_token_endpoint_authenticates_with_Basic_and_takes_refresh_in(CancellationToken cancellationToken)
    {
        await using var standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { ExpiresIn = 86399, RefreshIn = 3600 }, cancellationToken);
        var issuer = new Uri(standIn.AuthorityHost, $"{TenantId}/v2.0");
        var environment = new Dictionary<string, string>
        {
            ["STUDIO_ISSUER"] = issuer.AbsoluteUri,
            ["STUDIO_CLIENT_ID"] = ClientId,
            ["STUDIO_CLIENT_SECRET"] = ClientSecret,
            ["STUDIO_SCOPE"] = "https://management.azure.com/.default",
        };

        var run = await CliHarness.RunAsync(["fetch", "--output", "json"], environment, createHandler: standIn.CreateTrustingHandler, cancellationToken: cancellationToken);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var json = JObject.Parse(run.Output);
        var expiresAt = DateTimeOffset.Parse((string)json["expires_at"]!, CultureInfo.InvariantCulture);
        var refreshAt = DateTimeOffset.Parse((string)json["refresh_at"]!, CultureInfo.InvariantCulture);
        var token = standIn.TokenRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(standIn.Requests[^2].Path, Is.EqualTo($"/{TenantId}/v2.0/.well-known/openid-configuration"), "the OpenID location, after RFC 8414's found nothing");
            Assert.That((string?)json["token_url"], Is.EqualTo(new Uri(standIn.AuthorityHost, $"{TenantId}/oauth2/v2.0/token").AbsoluteUri));
            Assert.That(BasicCredentials(token.Headers["Authorization"]), Is.EqualTo((ClientId, ClientSecret)), "client_secret_basic, listed by Entra");
            Assert.That(token.Form.ContainsKey("client_secret"), Is.False);
            Assert.That(token.Form["scope"], Is.EqualTo("https://management.azure.com/.default"));
            Assert.That(expiresAt - refreshAt, Is.EqualTo(TimeSpan.FromSeconds(86399 - 3600)).Within(TimeSpan.FromSeconds(60)), "refresh_in (1 h), not half of 24 h");
        });
        SecretScan.AssertAbsent(run.AllText, ClientSecret, "the client secret");
    }

    /// <summary>The id and secret of an RFC 6749 §2.3.1 Basic header: each form-urlencoded, then joined and base64-encoded.</summary>
    private static (string Id, string Secret) BasicCredentials(string header)
    {
        Assert.That(header, Does.StartWith("Basic "));
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
        return (Uri.UnescapeDataString(pair[0].Replace('+', ' ')), Uri.UnescapeDataString(pair[1].Replace('+', ' ')));
    }
}
