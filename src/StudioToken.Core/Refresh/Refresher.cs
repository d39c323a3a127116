using StudioToken.Core.Internal;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Refresh;

/// <summary>Why a refresher stopped.</summary>
public enum RefresherStopReason
{
    /// <summary>Told to stop (post step, SIGTERM, Ctrl+C, the command it served ended).</summary>
    Cancelled,

    /// <summary>Ran for its <c>max-lifetime</c>.</summary>
    MaxLifetime,

    /// <summary>Its token directory was deleted: nobody can read what it writes any more.</summary>
    DirectoryDeleted,
}

/// <summary>Settings of a <see cref="Refresher"/>.</summary>
public sealed record RefresherOptions
{
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How often to look whether the directory still exists (a stat; negligible cost).</summary>
    public TimeSpan DirectoryCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The shortest wait after a successful refresh. A token that is due again at once (a cache that hands back the
    /// same token, an exp skewed by the server's clock) would otherwise be asked for again and again without pause.
    /// </summary>
    public TimeSpan MinimumRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    public RetryPolicy Retry { get; init; } = new();
}

/// <summary>What a refresher did, for the summary at the end of a job; <c>LastError</c> is the last one seen, even if a refresh succeeded since.</summary>
public sealed record RefreshHistory(int Rotations, int Failures, string? LastError, long Generation);

/// <summary>
/// Keeps a token directory fresh: refreshes at each token's <see cref="AccessToken.RefreshOn"/>, keeps the current
/// token in place when a refresh fails (recording <c>last_error</c>) and tries again by the <see cref="RetryPolicy"/>,
/// and stops when cancelled, at max-lifetime, or when its directory disappears.
/// </summary>
public sealed class Refresher(ITokenSource source, TokenPublisher publisher, RefresherOptions options, TimeProvider timeProvider, Random random, ITokenLog log)
{
    private int _rotations;
    private int _failures;
    private string? _lastError;

    public RefreshHistory History => new(Volatile.Read(ref _rotations), Volatile.Read(ref _failures), Volatile.Read(ref _lastError), publisher.Generation);

    /// <summary>Runs until a stop condition; <paramref name="current"/> is the token already published.</summary>
    public async Task<RefresherStopReason> RunAsync(AccessToken current, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.MaxLifetime;
        var nextAttempt = current.RefreshOn;
        var consecutiveFailures = 0;

        while (true)
        {
            if (await WaitUntilAsync(nextAttempt, deadline, cancellationToken) is { } stop)
            {
                return stop;
            }

            try
            {
                var response = await source.RequestTokenAsync(cancellationToken);
                foreach (var warning in response.Warnings)
                {
                    log.Warning(warning);
                }

                var metadata = publisher.Publish(response.Token);
                Interlocked.Increment(ref _rotations);
                consecutiveFailures = 0;
                var earliest = timeProvider.GetUtcNow() + options.MinimumRefreshInterval;
                nextAttempt = response.Token.RefreshOn > earliest ? response.Token.RefreshOn : earliest;
                log.Information($"{RefresherLogLines.Refreshed}{metadata.Generation}, expires {TokenMetadata.Rfc3339(metadata.ExpiresAt)}, next refresh in {DurationText.Format(nextAttempt - timeProvider.GetUtcNow())}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return RefresherStopReason.Cancelled;
            }
            catch (TokenRequestException ex)
            {
                consecutiveFailures++;
                var delay = options.Retry.DelayAfter(ex, consecutiveFailures, random);
                nextAttempt = timeProvider.GetUtcNow() + delay;
                if (RecordFailure(ex.Message, delay) is { } gone)
                {
                    return gone;
                }
            }
            catch (IOException ex)
            {
                if (!publisher.Writer.Exists)
                {
                    return RefresherStopReason.DirectoryDeleted;
                }

                consecutiveFailures++;
                var delay = options.Retry.BaseDelay * Math.Min(60, 1 << Math.Min(consecutiveFailures, 6));
                nextAttempt = timeProvider.GetUtcNow() + delay;
                if (RecordFailure($"could not write the token directory: {ex.Message}", delay) is { } gone)
                {
                    return gone;
                }
            }
        }
    }

    private RefresherStopReason? RecordFailure(string message, TimeSpan retryIn)
    {
        log.Warning($"{RefresherLogLines.Failed}{message}; keeping the current token, next try in {DurationText.Format(retryIn)}");
        try
        {
            if (!publisher.Writer.Exists)
            {
                return RefresherStopReason.DirectoryDeleted;
            }

            publisher.RecordFailure(message);
        }
        catch (IOException) when (!publisher.Writer.Exists)
        {
            return RefresherStopReason.DirectoryDeleted;
        }
        catch (IOException ex)
        {
            log.Warning($"could not record the failure in token.json: {ex.Message}");
        }
        finally
        {
            // Counted after token.json holds the failure, so whoever sees the count also sees the file.
            Volatile.Write(ref _lastError, message);
            Interlocked.Increment(ref _failures);
        }

        return null;
    }

    private async Task<RefresherStopReason?> WaitUntilAsync(DateTimeOffset target, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return RefresherStopReason.Cancelled;
            }

            var now = timeProvider.GetUtcNow();
            if (now >= deadline)
            {
                return RefresherStopReason.MaxLifetime;
            }

            if (!publisher.Writer.Exists)
            {
                return RefresherStopReason.DirectoryDeleted;
            }

            if (now >= target)
            {
                return null;
            }

            // Rounded up: a RefreshOn between two milliseconds would otherwise leave a remainder Task.Delay ends at once.
            var pause = WholeMilliseconds.RoundUp(Min(target - now, deadline - now, options.DirectoryCheckInterval));
            try
            {
                await Task.Delay(pause, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return RefresherStopReason.Cancelled;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => a < b ? (a < c ? a : c) : (b < c ? b : c);
}
