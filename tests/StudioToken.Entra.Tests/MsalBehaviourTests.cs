using System.Net;
using System.Net.Sockets;
using Microsoft.Identity.Client;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.TestServer;

namespace StudioToken.Entra.Tests;

/// <summary>
/// What MSAL itself does on the wire, measured against the stand-in: the facts <see cref="EntraTokenSource"/> is built
/// on. If an MSAL upgrade changes one, these fail first and say which.
/// </summary>
public sealed class MsalBehaviourTests
{
    [Test]
    public async Task Msal_left_alone_hands_back_the_old_token_after_refresh_on_and_refreshes_in_the_background()
    {
        // refresh_in far enough in the past that MSAL's ±5 minute jitter cannot move refresh_on into the future.
        await using var standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { RefreshIn = -1000 });
        using var http = TokenClient.CreateHttpClient(standIn.CreateTrustingHandler());
        var app = ConfidentialClientApplicationBuilder.Create(Guid.NewGuid().ToString())
            .WithAuthority(new Uri(standIn.AuthorityHost, EntraFixture.TenantId).AbsoluteUri)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new Internal.MsalHttpClientFactory(http), retryOnceOn5xx: false)
            .WithClientSecret("s3cret")
            .Build();
        var background = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        standIn.TokenRequested += _ =>
        {
            if (standIn.TokenRequests.Count == 2)
            {
                background.TrySetResult();
            }
        };

        var first = await app.AcquireTokenForClient(["api://studio/.default"]).ExecuteAsync();
        var second = await app.AcquireTokenForClient(["api://studio/.default"]).ExecuteAsync();

        // Bounded wait for a request MSAL sends on its own thread pool; no fixed sleep.
        await background.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(first.AuthenticationResultMetadata.RefreshOn, Is.LessThan(DateTimeOffset.UtcNow));
            Assert.That(second.AccessToken, Is.EqualTo(first.AccessToken), "the caller gets the old token back");
            Assert.That(second.AuthenticationResultMetadata.TokenSource, Is.EqualTo(TokenSource.Cache));
            Assert.That(second.AuthenticationResultMetadata.CacheRefreshReason, Is.EqualTo(CacheRefreshReason.ProactivelyRefreshed));
        });
    }

    [Test]
    public async Task With_the_default_authority_only_the_token_endpoint_of_login_microsoftonline_com_is_asked()
    {
        // The stand-in answers for login.microsoftonline.com: every connection goes to it, whatever the host.
        await using var standIn = await EntraStandIn.StartAsync(new EntraStandInOptions { HostNames = ["login.microsoftonline.com"] });
        var handler = standIn.CreateTrustingHandler();
        handler.ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, standIn.AuthorityHost.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        using var http = TokenClient.CreateHttpClient(handler);
        var settings = new EntraSettings
        {
            TenantId = EntraFixture.TenantId,
            ClientId = Guid.NewGuid().ToString(),
            Credential = new EntraCredential.ClientSecret(new Secret("s3cret")),
            Scopes = ["https://graph.microsoft.com/.default"],
        };
        var source = new EntraTokenSource(settings, http, TimeProvider.System, new RefreshPolicy(), new Random(1), new Redactor());

        await source.RequestTokenAsync(CancellationToken.None);

        // MSAL's default would first GET /common/discovery/instance (measured); the source turns that off.
        var request = standIn.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(source.TokenUrl, Is.EqualTo(new Uri($"https://login.microsoftonline.com/{EntraFixture.TenantId}/oauth2/v2.0/token")));
            Assert.That(request.Headers["Host"], Is.EqualTo("login.microsoftonline.com"));
            Assert.That(request.Path, Is.EqualTo($"/{EntraFixture.TenantId}/oauth2/v2.0/token"));
        });
    }
}
