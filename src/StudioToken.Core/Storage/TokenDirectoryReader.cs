using System.Text;
using StudioToken.Core.Internal;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Core.Storage;

/// <summary>A token read from a token directory, with the metadata it was read with.</summary>
public sealed record TokenSnapshot(Secret Token, TokenMetadata Metadata)
{
    public TimeSpan RemainingAt(DateTimeOffset now) => Metadata.ExpiresAt - now;
}

/// <summary>Why no usable token could be read; the message says what to check.</summary>
public sealed class NoValidTokenException(string message) : Exception(message);

/// <summary>Reads a token directory written by <see cref="TokenDirectoryWriter"/>, and waits for a fresh enough token.</summary>
public sealed class TokenDirectoryReader(string directory, TimeProvider timeProvider)
{
    /// <summary>How often <see cref="WaitForAsync"/> looks again; reading two small files costs microseconds.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// Reads <c>token.json</c> before <c>token</c>: the writer replaces them in the other order, so the metadata read is
    /// never newer than the token, and the expiry it states is never later than the token's own.
    /// </summary>
    public TokenSnapshot Read()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new NoValidTokenException($"no token directory at {Directory}; did the studio-token step run, and is --token-dir or STUDIO_TOKEN_FILE right?");
        }

        TokenMetadata metadata;
        string token;
        try
        {
            metadata = TokenMetadata.Parse(File.ReadAllText(Path.Combine(Directory, TokenMetadata.FileName), Encoding.UTF8));
            token = File.ReadAllText(Path.Combine(Directory, TokenDirectoryWriter.TokenFileName), Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            throw new NoValidTokenException($"{Directory} holds no token yet; is the refresher running?");
        }
        catch (UnauthorizedAccessException)
        {
            throw new NoValidTokenException($"cannot read the token in {Directory}: permission denied; run as the user the token directory belongs to");
        }
        catch (FormatException ex)
        {
            throw new NoValidTokenException($"{Directory}: {ex.Message}");
        }

        if (!BearerTokenSyntax.IsB64Token(token))
        {
            throw new NoValidTokenException($"{Path.Combine(Directory, TokenDirectoryWriter.TokenFileName)} does not hold a bearer token");
        }

        return new TokenSnapshot(new Secret(token), metadata);
    }

    /// <summary>
    /// Returns a token with at least <paramref name="minValid"/> of life left, waiting up to <paramref name="wait"/>
    /// for the refresher to write one; throws <see cref="NoValidTokenException"/> saying why not.
    /// </summary>
    public async Task<TokenSnapshot> WaitForAsync(TimeSpan minValid, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + wait;
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            NoValidTokenException problem;
            try
            {
                var snapshot = Read();
                var remaining = snapshot.RemainingAt(now);
                if (remaining > minValid || (remaining > TimeSpan.Zero && minValid == TimeSpan.Zero))
                {
                    return snapshot;
                }

                var error = snapshot.Metadata.LastError is { } last ? $"; the refresher's last error: {last}" : string.Empty;
                problem = remaining > TimeSpan.Zero
                    ? new NoValidTokenException($"the token in {Directory} expires in {Format(remaining)}, less than the {Format(minValid)} asked for{error}")
                    : new NoValidTokenException($"the token in {Directory} expired at {TokenMetadata.Rfc3339(snapshot.Metadata.ExpiresAt)}{error}");
            }
            catch (NoValidTokenException ex)
            {
                problem = ex;
            }

            if (now >= deadline)
            {
                throw wait > TimeSpan.Zero ? new NoValidTokenException($"{problem.Message} (waited {Format(wait)})") : problem;
            }

            var pause = WholeMilliseconds.RoundUp(deadline - now < PollInterval ? deadline - now : PollInterval);
            await Task.Delay(pause, timeProvider, cancellationToken);
        }
    }

    private static string Format(TimeSpan span) => DurationText.Format(span);
}
