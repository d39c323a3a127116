using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.TestServer;

namespace StudioToken.Entra.Tests;

/// <summary>
/// MSAL's cache and Entra's <c>refresh_in</c>. MSAL times its cache by the wall clock and has no clock seam, so the
/// tests keep within MSAL's view of "now" (tokens of an hour or more, read within seconds) and move only the source's
/// clock: whether a request is sent is then the source's decision alone, and the stand-in counts it.
/// </summary>
public sealed class EntraCacheTests
{
    [Test]
    public async Task A_call_before_the_token_is_due_is_answered_from_msals_cache_without_a_request()
    {
        await using var entra = await EntraFixture.StartAsync();
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret("s3cret")));

        var first = await source.RequestTokenAsync(CancellationToken.None);
        entra.Clock.SetUtcNow(first.Token.RefreshOn - TimeSpan.FromSeconds(1));
        var second = await source.RequestTokenAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(entra.StandIn.TokenRequests, Has.Count.EqualTo(1));
            Assert.That(second.Token, Is.SameAs(first.Token), "the same token, timed as when it was issued");
        });
    }

    [Test]
    public async Task Without_refresh_in_the_token_is_due_at_refresh_at_of_its_lifetime_and_then_a_new_one_is_requested()
    {
        await using var entra = await EntraFixture.StartAsync();
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret("s3cret")), new RefreshPolicy { RefreshAt = 0.5, Jitter = 0 });

        var first = (await source.RequestTokenAsync(CancellationToken.None)).Token;
        entra.Clock.SetUtcNow(first.RefreshOn);
        var second = (await source.RequestTokenAsync(CancellationToken.None)).Token;

        Assert.Multiple(() =>
        {
            Assert.That(first.RefreshOn - first.IssuedAt, Is.EqualTo((first.ExpiresOn - first.IssuedAt) / 2).Within(TimeSpan.FromSeconds(1)));
            Assert.That(entra.StandIn.TokenRequests, Has.Count.EqualTo(2), "MSAL would have kept serving the cached token: the source forces the refresh");
            Assert.That(second.Value, Is.Not.EqualTo(first.Value));
        });
    }

    [Test]
    public async Task With_refresh_in_the_token_is_due_at_msals_refresh_on_not_at_refresh_at()
    {
        // Entra's long-lived tokens: 24 h, refresh_in an hour. refresh-at alone would say 12 h.
        await using var entra = await EntraFixture.StartAsync(new EntraStandInOptions { ExpiresIn = 86399, RefreshIn = 3600 });
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret("s3cret")));

        var first = (await source.RequestTokenAsync(CancellationToken.None)).Token;
        entra.Clock.Advance(TimeSpan.FromSeconds(3590));
        await source.RequestTokenAsync(CancellationToken.None);
        var beforeDue = entra.StandIn.TokenRequests.Count;
        entra.Clock.SetUtcNow(first.RefreshOn);
        var second = (await source.RequestTokenAsync(CancellationToken.None)).Token;

        Assert.Multiple(() =>
        {
            Assert.That(first.RefreshOn - first.IssuedAt, Is.EqualTo(TimeSpan.FromSeconds(3600)).Within(TimeSpan.FromSeconds(30)));
            Assert.That(beforeDue, Is.EqualTo(1));
            Assert.That(entra.StandIn.TokenRequests, Has.Count.EqualTo(2));
            Assert.That(second.Value, Is.Not.EqualTo(first.Value));
        });
    }

    [Test]
    public async Task A_refresh_in_already_past_is_ignored_for_refresh_at_so_the_refresher_does_not_ask_again_at_once()
    {
        await using var entra = await EntraFixture.StartAsync(new EntraStandInOptions { ExpiresIn = 3599, RefreshIn = -1000 });
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret("s3cret")), new RefreshPolicy { RefreshAt = 0.5, Jitter = 0 });

        var token = (await source.RequestTokenAsync(CancellationToken.None)).Token;

        Assert.Multiple(() =>
        {
            Assert.That(token.RefreshOn, Is.GreaterThan(token.IssuedAt));
            Assert.That(token.RefreshOn - token.IssuedAt, Is.EqualTo((token.ExpiresOn - token.IssuedAt) / 2).Within(TimeSpan.FromSeconds(1)));
        });
    }
}
