using System.Globalization;
using System.Text;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Inputs;

namespace StudioToken.GitHub.Action;

/// <summary>The job summary's lines (<c>GITHUB_STEP_SUMMARY</c>, Markdown). Never the token or a secret.</summary>
public static class JobSummary
{
    public static string ForMain(ActionSettings settings, AccessToken token, string hostDir, bool refreshing)
    {
        var request = settings.Request;
        var lifetime = token.ExpiresOn - token.IssuedAt;
        var text = new StringBuilder()
            .AppendLine("### studio-token")
            .AppendLine()
            .AppendLine("| | |")
            .AppendLine("|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| endpoint | `{Cell(request.TokenUrl.AbsoluteUri)}` |")
            .AppendLine(CultureInfo.InvariantCulture, $"| client id | `{Cell(request.ClientId)}` |")
            .AppendLine(CultureInfo.InvariantCulture, $"| client authentication | {Cell(AuthDescription(request))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| scope | `{Cell(token.Scope ?? request.Scope ?? "(default)")}` |")
            .AppendLine(CultureInfo.InvariantCulture, $"| first token expires | {TokenMetadata.Rfc3339(token.ExpiresOn)} (lifetime {DurationText.Format(lifetime)}) |")
            .AppendLine(CultureInfo.InvariantCulture, $"| token file | `{Cell(Path.Combine(hostDir, "token"))}` |")
            .AppendLine(refreshing
                ? string.Create(CultureInfo.InvariantCulture, $"| refresh plan | every ~{DurationText.Format(lifetime * settings.RefreshPolicy.RefreshAt)} ({settings.RefreshPolicy.RefreshAt:0.##} of the lifetime), for at most {DurationText.Format(settings.MaxLifetime)} |")
                : "| refresh plan | **off**: the token is not refreshed |")
            .AppendLine();
        return text.ToString();
    }

    public static string ForPost(TokenMetadata? metadata, int? failures, string revocation)
    {
        var text = new StringBuilder().AppendLine("### studio-token: refresh history").AppendLine();
        if (metadata is null)
        {
            return text.AppendLine("No token directory was left to report on.").AppendLine().ToString();
        }

        return text
            .AppendLine("| | |")
            .AppendLine("|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| tokens issued | {metadata.Generation} ({metadata.Generation - 1} refreshes) |")
            .AppendLine(CultureInfo.InvariantCulture, $"| last refreshed | {TokenMetadata.Rfc3339(metadata.RefreshedAt)} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| failed refreshes | {(failures is { } count ? count.ToString(CultureInfo.InvariantCulture) : "unknown (no refresher log)")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| last error | {(metadata.LastError is null ? "none" : Cell(metadata.LastError))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| revocation | {Cell(revocation)} |")
            .AppendLine()
            .ToString();
    }

    /// <summary>The method and grant, by name only: never a credential.</summary>
    private static string AuthDescription(TokenRequest request) =>
        request.AuthMethod.ToWireName() + (request.Grant == TokenGrant.TokenExchange ? " (token exchange)" : string.Empty);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('`', '\'').ReplaceLineEndings(" ");
}
