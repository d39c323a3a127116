using System.Globalization;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Settings;
using StudioToken.Core.Tokens;

namespace StudioToken.GitHub.Inputs;

/// <summary>One input that is wrong, and how to fix it.</summary>
public sealed record InputError(string Input, string Message);

/// <summary>The action's inputs, parsed and checked before anything is sent.</summary>
public sealed record ActionSettings(
    TokenRequest Request,
    string EnvName,
    string? TokenDir,
    bool Refresh,
    RefreshPolicy RefreshPolicy,
    TimeSpan MaxLifetime,
    bool Revoke,
    Uri? RevocationUrl,
    Secret? GitHubToken,
    bool Summary);

/// <summary>
/// Reads <c>INPUT_*</c> as the runner names them (upper case, spaces as <c>_</c>, hyphens kept) and checks every
/// input, collecting all problems so the user fixes them in one go.
/// </summary>
public sealed class ActionInputs(Func<string, string?> environment)
{
    public string? Get(string name)
    {
        var value = environment("INPUT_" + name.Replace(' ', '_').ToUpperInvariant());
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public ActionSettings? TryRead(out IReadOnlyList<InputError> errors)
    {
        var problems = new List<InputError>();
        void Fail(string input, string message) => problems.Add(new InputError(input, message));
        void Check(string input, string? problem)
        {
            if (problem is not null)
            {
                Fail(input, problem);
            }
        }

        if (SettingChecks.TokenUrl(Get("token-url"), out var tokenUrl) is { } tokenUrlProblem)
        {
            Fail("token-url", tokenUrlProblem);
        }

        var clientId = Get("client-id");
        if (clientId is null)
        {
            Fail("client-id", "is required: the OAuth client id, e.g. ${{ vars.STUDIO_CLIENT_ID }}");
        }

        var secretText = environment("INPUT_CLIENT-SECRET");
        var secret = string.IsNullOrEmpty(secretText?.Trim()) ? null : new Secret(secretText.Trim());
        if (secret is null)
        {
            Fail("client-secret", "is required: pass it from a secret, e.g. ${{ secrets.STUDIO_CLIENT_SECRET }}");
        }

        var method = ClientAuthMethod.ClientSecretBasic;
        var authText = Get("client-auth");
        // Core signs private_key_jwt assertions, but the action does not take a key yet (no input, no refresher hand-over).
        if (authText is not null && (!ClientAuthMethodNames.TryParse(authText, out method) || method is not (ClientAuthMethod.ClientSecretBasic or ClientAuthMethod.ClientSecretPost)))
        {
            method = ClientAuthMethod.ClientSecretBasic; // so the request's own checks do not ask for a key as well
            Fail("client-auth", authText.ToLowerInvariant() is "private_key_jwt" or "github_oidc"
                ? $"'{authText}' is not available in this version yet; use client_secret_basic or client_secret_post"
                : $"'{authText}' is not supported; use client_secret_basic (default) or client_secret_post");
        }

        var resourceProblems = new List<string>();
        var resources = ParameterText.ParseResources([Get("resource") ?? string.Empty], resourceProblems);
        resourceProblems.ForEach(problem => Fail("resource", problem));

        var extraProblems = new List<string>();
        var extra = ParameterText.ParseExtraParameters((Get("extra-params") ?? string.Empty).Split('\n'), extraProblems);
        extraProblems.ForEach(problem => Fail("extra-params", problem));

        var envName = Get("env-name") ?? "STUDIO_TOKEN";
        if (!IsEnvironmentName(envName))
        {
            Fail("env-name", $"'{envName}' is not a valid environment variable name: letters, digits and '_', not starting with a digit");
        }

        var refresh = Boolean("refresh", true, Fail);
        var revoke = Boolean("revoke", true, Fail);
        var summary = Boolean("summary", true, Fail);
        Check("refresh-at", SettingChecks.RefreshAt(Get("refresh-at"), out var refreshAt));
        Check("max-lifetime", SettingChecks.MaxLifetime(Get("max-lifetime"), out var maxLifetime));
        Check("revocation-url", SettingChecks.RevocationUrl(Get("revocation-url"), out var revocationUrl));

        var githubToken = Get("github-token") is { } gh ? new Secret(gh) : null;

        TokenRequest? request = null;
        if (tokenUrl is not null && clientId is not null && secret is not null)
        {
            request = new TokenRequest
            {
                TokenUrl = tokenUrl,
                ClientId = clientId,
                ClientSecret = secret,
                AuthMethod = method,
                Scope = Get("scope"),
                Audience = Get("audience"),
                Resources = resources,
                ExtraParameters = extra,
            };
            foreach (var problem in request.Problems())
            {
                Fail(problem.Setting, problem.Message[(problem.Setting.Length + 2)..]);
            }
        }

        errors = problems;
        return problems.Count == 0 && request is not null
            ? new ActionSettings(request, envName, Get("token-dir"), refresh, new RefreshPolicy { RefreshAt = refreshAt }, maxLifetime, revoke, revocationUrl, githubToken, summary)
            : null;
    }

    /// <summary>YAML 1.2 core booleans, as the Actions toolkit's getBooleanInput accepts them.</summary>
    private bool Boolean(string name, bool defaultValue, Action<string, string> fail)
    {
        if (SettingChecks.Boolean(Get(name), defaultValue, out var value) is { } problem)
        {
            fail(name, problem);
        }

        return value;
    }

    private static bool IsEnvironmentName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !string.Equals(name, "NODE_OPTIONS", StringComparison.OrdinalIgnoreCase);
}
