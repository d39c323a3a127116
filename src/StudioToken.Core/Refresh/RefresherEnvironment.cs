using System.Globalization;
using StudioToken.Core.OAuth;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Refresh;

/// <summary>
/// A background refresher's settings as the environment variables <c>studio-token refresh</c> reads
/// (<c>STUDIO_*</c>): how the action's sibling container and the task's detached process are configured.
/// Never the client secret or private key: each host hands those over its own private way.
/// </summary>
public static class RefresherEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(TokenRequest request, string tokenDir, RefreshPolicy refreshPolicy, TimeSpan maxLifetime)
    {
        var variables = new List<KeyValuePair<string, string>>
        {
            new("STUDIO_TOKEN_URL", request.TokenUrl.AbsoluteUri),
            new("STUDIO_CLIENT_ID", request.ClientId),
            new("STUDIO_CLIENT_AUTH", request.AuthMethod.ToWireName()),
            new("STUDIO_TOKEN_DIR", tokenDir),
            new("STUDIO_REFRESH_AT", refreshPolicy.RefreshAt.ToString(CultureInfo.InvariantCulture)),
            new("STUDIO_MAX_LIFETIME", ((long)maxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"),
        };

        void Optional(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                variables.Add(new(name, value));
            }
        }

        Optional("STUDIO_SCOPE", request.Scope);
        Optional("STUDIO_AUDIENCE", request.Audience);
        Optional("STUDIO_RESOURCE", string.Join(' ', request.Resources.Select(resource => resource.AbsoluteUri)));
        Optional("STUDIO_KEY_ID", request.ClientAssertionKey?.KeyId);
        Optional("STUDIO_ASSERTION_AUDIENCE", request.ClientAssertionKey?.Audience);
        Optional("STUDIO_ASSERTION_TYPE", request.ClientAssertionKey?.Type);
        Optional("STUDIO_OIDC_AUDIENCE", request.AssertionSource?.Audience);
        if (request.Grant == TokenGrant.TokenExchange)
        {
            variables.Add(new("STUDIO_GRANT", request.Grant.ToWireName()));
            variables.Add(new("STUDIO_SUBJECT_TOKEN_TYPE", request.SubjectTokenType));
        }

        Optional("STUDIO_EXTRA_PARAMS", string.Join('\n', request.ExtraParameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        return variables;
    }
}
