using System.Globalization;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Settings;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Oidc;

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
    bool Summary)
{
    /// <summary>The issuer to discover the endpoints from; null when only <c>token-url</c> is given.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>The <c>token-url</c> input, which wins over the discovered token endpoint; null when left to discovery.</summary>
    public Uri? GivenTokenUrl { get; init; }

    /// <summary>The <c>client-auth</c> input; null when discovery may pick the method (client_secret_basic, the default, included).</summary>
    public ClientAuthMethod? ChosenMethod { get; init; }
}

/// <summary>
/// Reads <c>INPUT_*</c> as the runner names them (upper case, spaces as <c>_</c>, hyphens kept) and checks every
/// input, collecting all problems so the user fixes them in one go.
/// </summary>
/// <param name="httpClient">What a github_oidc request asks GitHub for its ID tokens with; the caller owns it.</param>
public sealed class ActionInputs(Func<string, string?> environment, HttpClient httpClient, TimeProvider timeProvider)
{
    /// <summary>The inputs that hold secrets: masked before anything else is printed.</summary>
    public static readonly IReadOnlyList<string> SecretInputs = ["client-secret", "private-key"];

    /// <summary>The values of <see cref="SecretInputs"/> that were given.</summary>
    public IEnumerable<Secret> Secrets() =>
        SecretInputs.Select(Get).OfType<string>().Select(value => new Secret(value));

    /// <summary>The runner's bearer for GitHub's ID-token endpoint (github_oidc), when the job may ask for ID tokens: never to be printed.</summary>
    public Secret? IdTokenRequestToken =>
        environment(GitHubIdTokenSource.RequestTokenVariable) is { Length: > 0 } token ? new Secret(token) : null;

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

        if (SettingChecks.Issuer(Get("issuer"), out var issuer) is { } issuerProblem)
        {
            Fail("issuer", issuerProblem);
            issuer = null;
        }

        Uri? tokenUrl = null;
        if (Get("token-url") is null && Get("issuer") is not null)
        {
            // The issuer stands in for the token URL until the main step discovers the token endpoint.
            tokenUrl = issuer;
        }
        else if (SettingChecks.TokenUrl(Get("token-url"), out tokenUrl) is { } tokenUrlProblem)
        {
            Fail("token-url", Get("token-url") is null ? tokenUrlProblem + " (or give issuer, e.g. https://id.example.com, to discover it)" : tokenUrlProblem);
        }

        var clientId = Get("client-id");
        if (clientId is null)
        {
            Fail("client-id", "is required: the OAuth client id, e.g. ${{ vars.STUDIO_CLIENT_ID }}");
        }

        var credential = CredentialInputs.Read(this, environment, httpClient, timeProvider, Fail);

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
        if (tokenUrl is not null && clientId is not null && credential is not null)
        {
            request = new TokenRequest
            {
                TokenUrl = tokenUrl,
                ClientId = clientId,
                ClientSecret = credential.ClientSecret,
                ClientAssertionKey = credential.Key,
                AssertionSource = credential.AssertionSource,
                AuthMethod = credential.Method,
                Grant = credential.Grant,
                SubjectTokenType = credential.SubjectTokenType,
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
            {
                Issuer = issuer,
                GivenTokenUrl = issuer is null ? null : Get("token-url") is null ? null : tokenUrl,
                // action.yml's default is client_secret_basic, so a workflow that names it may simply have left it out:
                // either way discovery takes Basic when the server lists it, else client_secret_post, with the same secret.
                ChosenMethod = credential?.Method is ClientAuthMethod.ClientSecretBasic ? null : credential?.Method,
            }
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
