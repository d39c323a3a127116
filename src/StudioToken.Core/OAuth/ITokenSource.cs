namespace StudioToken.Core.OAuth;

/// <summary>Where tokens come from: one attempt per call. The seam between how a token is obtained and when (retry, refresh).</summary>
public interface ITokenSource
{
    /// <summary>What the source asks, for logs and <c>token.json</c> (never a secret).</summary>
    Uri TokenUrl { get; }

    Task<TokenResponse> RequestTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Client credentials with a client secret, through <see cref="TokenClient"/>.</summary>
public sealed class ClientCredentialsTokenSource(TokenClient client, TokenRequest request) : ITokenSource
{
    public Uri TokenUrl => request.TokenUrl;

    public Task<TokenResponse> RequestTokenAsync(CancellationToken cancellationToken) => client.RequestAsync(request, cancellationToken);
}
