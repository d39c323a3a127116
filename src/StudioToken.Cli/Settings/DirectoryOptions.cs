using System.CommandLine;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Settings;

/// <summary>Where the token directory is, who owns it, and how it is kept fresh.</summary>
internal sealed class DirectoryOptions
{
    public Option<string> TokenDir { get; } = new("--token-dir") { Description = "Token directory to write [env: STUDIO_TOKEN_DIR]" };

    public Option<string> Owner { get; } = new("--owner") { Description = "uid[:gid] to own the token files (when running as root for another user) [env: STUDIO_TOKEN_OWNER]" };

    public Option<string> RefreshAt { get; } = new("--refresh-at") { Description = "Refresh at this fraction of the lifetime (default 0.5) [env: STUDIO_REFRESH_AT]" };

    public Option<string> MaxLifetime { get; } = new("--max-lifetime") { Description = "Stop refreshing after this long (default 6h) [env: STUDIO_MAX_LIFETIME]" };

    public void AddTo(Command command, bool withRefresh)
    {
        command.Options.Add(TokenDir);
        command.Options.Add(Owner);
        command.Options.Add(RefreshAt);
        if (withRefresh)
        {
            command.Options.Add(MaxLifetime);
        }
    }

    public string? ReadTokenDir(OptionReader reader) => reader.String(TokenDir, "STUDIO_TOKEN_DIR");

    public FileOwner? ReadOwner(OptionReader reader)
    {
        var text = reader.String(Owner, "STUDIO_TOKEN_OWNER");
        if (text is null)
        {
            return null;
        }

        return FileOwner.TryParse(text, out var owner)
            ? owner
            : throw new TokenConfigurationException(Owner.Name, $"'{text}' is not uid or uid:gid, e.g. 1001:1001");
    }

    public RefreshPolicy ReadRefreshPolicy(OptionReader reader) =>
        new() { RefreshAt = reader.Fraction(RefreshAt, "STUDIO_REFRESH_AT") ?? RefreshPolicy.DefaultRefreshAt };

    public RefresherOptions ReadRefresherOptions(OptionReader reader, Core.Retry.RetryPolicy retry)
    {
        var maxLifetime = reader.Duration(MaxLifetime, "STUDIO_MAX_LIFETIME") ?? TimeSpan.FromHours(6);
        if (maxLifetime <= TimeSpan.Zero)
        {
            throw new TokenConfigurationException(MaxLifetime.Name, "must be positive, e.g. 6h");
        }

        return new RefresherOptions { MaxLifetime = maxLifetime, Retry = retry };
    }
}
