using System.Text.RegularExpressions;
using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Azure.Inputs;

/// <summary>
/// What an Azure Pipelines OIDC client needs beyond the request itself, for the refresher to mint its own OIDC tokens:
/// the service connection's id, the agent's OIDC request URI and the job's access token (a secret).
/// </summary>
public sealed record AzureOidcSettings(string ServiceConnectionId, Uri RequestUri, Secret AccessToken);

/// <summary>How the client authenticates, read from the task's inputs: a secret, a private key or the job's OIDC token.</summary>
public sealed record ClientCredential(ClientAuthMethod Method, TokenGrant Grant, Secret? Secret, ClientAssertionKey? Key, AzureOidcSettings? AzureOidc, IClientAssertionSource? AssertionSource);

/// <summary>
/// The inputs that say how the client authenticates (<c>clientAuth</c>, <c>clientSecret</c>, <c>privateKey</c>,
/// <c>keyId</c>, <c>assertionAudience</c>, <c>assertionType</c>, <c>oidcServiceConnection</c>, <c>grant</c>). Exactly
/// one kind of credential: a secret given with a key or OIDC method is an error, not something silently left unused,
/// because the user would believe the secret is what authenticates. The Studio OAuth connection's password is the
/// exception: a connection always has one, and is used only for its URL and client id then.
/// </summary>
internal sealed partial class ClientCredentialInputs(TaskInputs inputs, Func<string, string?> environment, Func<HttpClient> createHttpClient, TimeProvider timeProvider)
{
    public const string AzureServiceConnectionVariable = "STUDIO_AZURE_SERVICE_CONNECTION_ID";

    private const string GenericSecretlessChoices = "clientAuth private_key_jwt or azure_oidc, which need no secret";

    /// <param name="secretlessChoices">What else authenticates, for the message when the secret is missing; null for the generic provider's.</param>
    public ClientCredential? Read(Secret? secret, bool secretProblemReported, Action<string, string> problem, string? secretlessChoices = null)
    {
        var method = ClientAuthMethod.ClientSecretBasic;
        if (inputs.Get("clientAuth") is { } authText && (!ClientAuthMethodNames.TryParse(authText, out method) || method == ClientAuthMethod.GitHubOidc))
        {
            problem("clientAuth", $"'{authText}' is not supported; use client_secret_basic (default), client_secret_post, private_key_jwt or azure_oidc");
            return null;
        }

        var grant = TokenGrant.ClientCredentials;
        if (inputs.Get("grant") is { } grantText && !TokenGrantNames.TryParse(grantText, out grant))
        {
            problem("grant", $"'{grantText}' is not supported; use client_credentials (default) or token-exchange");
        }

        var keyGiven = inputs.Get("privateKey") is not null;
        if (method is ClientAuthMethod.ClientSecretBasic or ClientAuthMethod.ClientSecretPost)
        {
            if (keyGiven)
            {
                problem("privateKey", $"is only used with clientAuth private_key_jwt, not {method.ToWireName()}; set clientAuth: private_key_jwt, or remove the key");
            }

            if (secret is null && !secretProblemReported)
            {
                problem("clientSecret", $"is required: pass it from a secret variable, e.g. $(STUDIO_CLIENT_SECRET), or choose a Studio OAuth service connection (or use {secretlessChoices ?? GenericSecretlessChoices})");
            }

            return secret is null ? null : new ClientCredential(method, grant, secret, null, null, null);
        }

        if (inputs.Get("clientSecret") is not null)
        {
            problem("clientSecret", $"cannot be used with clientAuth {method.ToWireName()}, which authenticates without a secret; remove clientSecret (or choose client_secret_basic)");
        }

        if (method == ClientAuthMethod.PrivateKeyJwt)
        {
            var key = ReadKey(problem);
            return key is null ? null : new ClientCredential(method, grant, null, key, null, null);
        }

        if (keyGiven)
        {
            problem("privateKey", "is only used with clientAuth private_key_jwt; remove it for azure_oidc");
        }

        var oidc = ReadAzureOidc(problem);
        if (oidc is null)
        {
            return null;
        }

        var source = new AzureOidcTokenSource(
            new IdTokenEndpoint(createHttpClient(), timeProvider, "Azure Pipelines' OIDC token endpoint", "check that oidcServiceConnection is a workload identity federation connection this pipeline may use"),
            oidc.RequestUri, oidc.ServiceConnectionId, oidc.AccessToken);
        return new ClientCredential(method, grant, null, null, oidc, source);
    }

    /// <summary>The private key input, as the agent hands a secret variable over: PEM with its line breaks, with literal <c>\n</c>, or folded onto one line.</summary>
    public static Secret? PrivateKey(string? text)
    {
        if (text is null || TaskInputs.IsUnexpandedMacro(text))
        {
            return null;
        }

        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            text = text.Contains("\\n", StringComparison.Ordinal)
                ? text.Replace("\\n", "\n", StringComparison.Ordinal)
                : OneLinePem().Replace(text, match => $"{match.Groups[1].Value}\n{string.Join('\n', match.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))}\n{match.Groups[3].Value}");
        }

        return new Secret(text.Trim());
    }

    /// <summary>The job's access token as a task sees it: mapped by the pipeline, else the agent's own connection (task-lib's SystemVssConnection).</summary>
    public static Secret? AccessToken(Func<string, string?> environment) =>
        environment(AzureOidcTokenSource.AccessTokenVariable) is { Length: > 0 } mapped && !TaskInputs.IsUnexpandedMacro(mapped) ? new Secret(mapped)
        : environment(AzureOidcTokenSource.AgentAccessTokenVariable) is { Length: > 0 } agent ? new Secret(agent)
        : null;

    private ClientAssertionKey? ReadKey(Action<string, string> problem)
    {
        var pem = PrivateKey(inputs.Get("privateKey"));
        if (pem is null)
        {
            if (inputs.Get("privateKey") is null)
            {
                problem("privateKey", "is required for private_key_jwt: the client's private key (PEM) from a secret variable, e.g. $(STUDIO_PRIVATE_KEY)");
            }

            return null;
        }

        var key = new ClientAssertionKey(pem)
        {
            KeyId = inputs.Get("keyId"),
            Audience = inputs.Get("assertionAudience"),
            Type = inputs.Get("assertionType") ?? ClientAssertionKey.DefaultType,
        };
        if (key.KeyProblem() is { } keyProblem)
        {
            problem("privateKey", keyProblem);
            return null;
        }

        return key;
    }

    private AzureOidcSettings? ReadAzureOidc(Action<string, string> problem)
    {
        var connection = inputs.Get("oidcServiceConnection");
        if (connection is null)
        {
            problem("oidcServiceConnection", "is required for azure_oidc: the Azure Resource Manager service connection (workload identity federation) whose federated credential the server trusts");
        }
        else if (connection.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')) || environment("ENDPOINT_URL_" + connection) is null)
        {
            problem("oidcServiceConnection", $"'{connection}' is not a service connection this job can use; check its name and that the pipeline is authorized to use it");
            connection = null;
        }
        else if (environment("ENDPOINT_AUTH_SCHEME_" + connection) is { Length: > 0 } scheme && !scheme.Equals("WorkloadIdentityFederation", StringComparison.OrdinalIgnoreCase))
        {
            problem("oidcServiceConnection", $"'{connection}' authenticates with {scheme}; Azure Pipelines issues OIDC tokens only for workload identity federation connections");
            connection = null;
        }

        Uri? requestUri = null;
        if (environment(AzureOidcTokenSource.RequestUriVariable) is not { Length: > 0 } uriText)
        {
            problem("clientAuth", $"azure_oidc needs System.OidcRequestUri, and the agent did not set {AzureOidcTokenSource.RequestUriVariable}: use Azure DevOps Services (Server does not issue pipeline OIDC tokens) and agent 3.232.1 or later");
        }
        else if (!Uri.TryCreate(uriText, UriKind.Absolute, out requestUri) || (requestUri.Scheme != Uri.UriSchemeHttps && !requestUri.IsLoopback))
        {
            problem("clientAuth", $"azure_oidc needs System.OidcRequestUri to be an https URL, and {AzureOidcTokenSource.RequestUriVariable} is not one");
            requestUri = null;
        }

        var accessToken = AccessToken(environment);
        if (accessToken is null)
        {
            problem("clientAuth", $"azure_oidc needs the job's access token, and this step has none: map it on the task, `env: {{ {AzureOidcTokenSource.AccessTokenVariable}: $(System.AccessToken) }}`, and check that the job's authorization scope lets it run");
        }

        return connection is not null && requestUri is not null && accessToken is not null
            ? new AzureOidcSettings(connection, requestUri, accessToken)
            : null;
    }

    /// <summary>A PEM a single-line variable store folded: its line breaks became spaces.</summary>
    [GeneratedRegex(@"^\s*(-----BEGIN [A-Z ]+-----)\s*(.*?)\s*(-----END [A-Z ]+-----)\s*$")]
    private static partial Regex OneLinePem();
}
