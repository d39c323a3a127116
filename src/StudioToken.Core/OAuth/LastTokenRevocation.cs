using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.OAuth;

/// <summary>
/// What the post steps of the action and the task do with the last token: revoke it (RFC 7009) when asked and a
/// revocation endpoint is known, retrying transient failures twice, and say in a few words what happened.
/// Never throws for the server's sake: cleanup must not fail a job.
/// </summary>
public sealed class LastTokenRevocation(Func<HttpClient> createHttpClient, TimeProvider timeProvider, ITokenLog log)
{
    public const int Attempts = 3;

    /// <summary>The outcome when the server accepted the revocation.</summary>
    public const string Revoked = "revoked";

    public Task<string> RevokeAsync(bool revoke, Uri? revocationUrl, TokenRequest? client, TokenSnapshot? snapshot, CancellationToken cancellationToken) =>
        RevokeAsync(revoke, revocationUrl, client, snapshot?.Token, snapshot?.Metadata.ExpiresAt, cancellationToken);

    /// <summary>The same for a token held in memory (<c>exec</c>'s last one), which outlives a deleted directory.</summary>
    public Task<string> RevokeAsync(bool revoke, Uri? revocationUrl, TokenRequest? client, AccessToken? token, CancellationToken cancellationToken) =>
        RevokeAsync(revoke, revocationUrl, client, token?.Value, token?.ExpiresOn, cancellationToken);

    private async Task<string> RevokeAsync(bool revoke, Uri? revocationUrl, TokenRequest? client, Secret? token, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        if (!revoke || client is null)
        {
            return "off";
        }

        if (revocationUrl is null)
        {
            return "no revocation endpoint";
        }

        if (token is null || expiresAt <= timeProvider.GetUtcNow())
        {
            return "skipped (no unexpired token)";
        }

        using var http = createHttpClient();
        var revocation = new RevocationClient(http, timeProvider);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await revocation.RevokeAsync(revocationUrl, client, token, cancellationToken);
                return Revoked;
            }
            catch (TokenRequestException ex) when (ex.IsTransient && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), timeProvider, cancellationToken);
            }
            catch (TokenRequestException ex)
            {
                log.Warning($"could not revoke the last token: {ex.Message}");
                return "failed: " + ex.Message;
            }
        }
    }

    /// <summary>The directory's token, unexpired or not, for revocation; null (with a warning) when there is none.</summary>
    public static TokenSnapshot? ReadLastToken(string tokenDir, TimeProvider timeProvider, Redactor redactor, ITokenLog log)
    {
        try
        {
            var snapshot = new TokenDirectoryReader(tokenDir, timeProvider).Read();
            redactor.Add(snapshot.Token);
            return snapshot;
        }
        catch (NoValidTokenException ex)
        {
            log.Warning(ex.Message);
            return null;
        }
    }
}
