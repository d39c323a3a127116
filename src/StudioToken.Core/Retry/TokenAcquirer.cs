using StudioToken.Core.OAuth;

namespace StudioToken.Core.Retry;

/// <summary>Gets one token, retrying transient failures by the <see cref="RetryPolicy"/>; rejections fail at once.</summary>
public sealed class TokenAcquirer(ITokenSource source, RetryPolicy policy, TimeProvider timeProvider, Random random, ITokenLog log)
{
    public async Task<TokenResponse> AcquireAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await source.RequestTokenAsync(cancellationToken);
            }
            catch (TokenRequestException ex) when (ex.IsTransient && attempt < policy.MaxAttempts)
            {
                var delay = policy.DelayAfter(ex, attempt, random);
                if (delay > policy.MaxRetryAfter)
                {
                    throw new TokenRequestException(ex.Kind, $"{ex.Message}; the endpoint asked to wait {delay.TotalSeconds:0} s, longer than {policy.MaxRetryAfter.TotalSeconds:0} s", ex.StatusCode, ex.RetryAfter);
                }

                log.Warning($"attempt {attempt} of {policy.MaxAttempts} failed: {ex.Message}; retrying in {delay.TotalSeconds:0.0} s");
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
            catch (TokenRequestException ex) when (ex.IsTransient)
            {
                throw new TokenRequestException(ex.Kind, $"{ex.Message} (gave up after {attempt} attempts)", ex.StatusCode, ex.RetryAfter);
            }
        }
    }
}
