using StudioToken.Core.OAuth;

namespace StudioToken.Core.Retry;

/// <summary>Gets one token, retrying transient failures by the <see cref="RetryPolicy"/>; rejections fail at once.</summary>
public sealed class TokenAcquirer(ITokenSource source, RetryPolicy policy, TimeProvider timeProvider, Random random, ITokenLog log)
{
    private readonly TransientRetry _retry = new(policy, timeProvider, random, log);

    public Task<TokenResponse> AcquireAsync(CancellationToken cancellationToken) =>
        _retry.RunAsync(source.RequestTokenAsync, cancellationToken);
}
