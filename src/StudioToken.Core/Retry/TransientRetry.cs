using StudioToken.Core.OAuth;

namespace StudioToken.Core.Retry;

/// <summary>
/// Runs one-shot work (a first token, a metadata document) again on transient failures by the <see cref="RetryPolicy"/>;
/// anything else fails at once, and giving up says after how many attempts.
/// </summary>
public sealed class TransientRetry(RetryPolicy policy, TimeProvider timeProvider, Random random, ITokenLog log)
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (TokenRequestException ex) when (ex.IsTransient && number < policy.MaxAttempts)
            {
                var delay = policy.DelayAfter(ex, number, random);
                if (delay > policy.MaxRetryAfter)
                {
                    throw new TokenRequestException(ex.Kind, $"{ex.Message}; the endpoint asked to wait {delay.TotalSeconds:0} s, longer than {policy.MaxRetryAfter.TotalSeconds:0} s", ex.StatusCode, ex.RetryAfter);
                }

                log.Warning($"attempt {number} of {policy.MaxAttempts} failed: {ex.Message}; retrying in {delay.TotalSeconds:0.0} s");
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
            catch (TokenRequestException ex) when (ex.IsTransient)
            {
                throw new TokenRequestException(ex.Kind, $"{ex.Message} (gave up after {number} attempts)", ex.StatusCode, ex.RetryAfter);
            }
        }
    }
}
