using System.CommandLine;
using StudioToken.Core.OAuth;

namespace StudioToken.Cli.Settings;

/// <summary>Whether and where <c>exec</c> revokes its last token (RFC 7009) once its command has ended.</summary>
internal sealed class RevocationOptions
{
    public Option<string> RevocationUrl { get; } = new("--revocation-url") { Description = "RFC 7009 revocation endpoint for the last token when the command ends (default: the issuer's, with --issuer) [env: STUDIO_REVOCATION_URL]" };

    public Option<bool> NoRevoke { get; } = new("--no-revoke") { Description = "Leave the last token valid when the command ends [env: STUDIO_REVOKE=false]" };

    public void AddTo(Command command)
    {
        command.Options.Add(RevocationUrl);
        command.Options.Add(NoRevoke);
    }

    /// <summary>On unless <c>--no-revoke</c> or <c>STUDIO_REVOKE=false</c>.</summary>
    public bool ReadRevoke(OptionReader reader)
    {
        if (reader.Flag(NoRevoke, environmentVariable: null))
        {
            return false;
        }

        var text = reader.Context.GetEnvironmentVariable("STUDIO_REVOKE");
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new TokenConfigurationException("STUDIO_REVOKE", $"'{text}' is not true or false"),
        };
    }

    /// <summary>The revocation endpoint the user named, held to the token URL's rules (it gets the client's credentials too).</summary>
    public Uri? ReadRevocationUrl(OptionReader reader, bool allowInsecureHttp)
    {
        var text = reader.String(RevocationUrl, "STUDIO_REVOCATION_URL");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new TokenConfigurationException(RevocationUrl.Name, $"'{text}' is not an absolute URL, e.g. https://studio.example.com/api/v2/oauth/revoke");
        }

        return EndpointUrl.Problem(url, allowInsecureHttp) is { } problem
            ? throw new TokenConfigurationException(RevocationUrl.Name, $"'{text}' {problem}")
            : url;
    }
}
