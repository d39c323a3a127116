using StudioToken.Core.Tokens;

namespace StudioToken.Core.Storage;

/// <summary>
/// Puts tokens into a token directory with a rising generation, and records failures in <c>token.json</c> while the
/// last good token stays in place.
/// </summary>
public sealed class TokenPublisher(TokenDirectoryWriter writer, Uri tokenUrl, TimeProvider timeProvider)
{
    private TokenMetadata? _current;

    public TokenDirectoryWriter Writer => writer;

    /// <summary>Runs before a token reaches the directory, e.g. to register it as a secret with a CI runner before anyone can read it.</summary>
    public Action<AccessToken>? BeforePublish { get; set; }

    public long Generation => _current?.Generation ?? 0;

    public TokenMetadata? Current => _current;

    /// <summary>Creates or checks the directory; a refresher restarted on an existing directory continues its generations.</summary>
    public void Prepare()
    {
        writer.Prepare();
        if (_current is null && File.Exists(writer.MetadataFile))
        {
            try
            {
                _current = TokenMetadata.Parse(File.ReadAllText(writer.MetadataFile));
            }
            catch (FormatException)
            {
                // A damaged token.json is simply replaced by the next write.
            }
        }
    }

    public TokenMetadata Publish(AccessToken token)
    {
        BeforePublish?.Invoke(token);
        var metadata = new TokenMetadata(token.TokenType, token.ExpiresOn, timeProvider.GetUtcNow(), Generation + 1, token.Scope, tokenUrl, LastError: null);
        writer.Write(token, metadata);
        _current = metadata;
        return metadata;
    }

    /// <summary>Records <paramref name="error"/> as <c>last_error</c>; does nothing before the first token.</summary>
    public void RecordFailure(string error)
    {
        if (_current is null)
        {
            return;
        }

        var metadata = _current with { LastError = error };
        writer.WriteMetadata(metadata);
        _current = metadata;
    }
}
