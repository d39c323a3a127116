using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.GitHub.Oidc;

namespace StudioToken.GitHub.Inputs;

/// <summary>How the client authenticates: the method, exactly the credential it uses, and the grant.</summary>
public sealed record ActionCredential(
    ClientAuthMethod Method,
    Secret? ClientSecret,
    ClientAssertionKey? Key,
    IClientAssertionSource? AssertionSource,
    TokenGrant Grant,
    string SubjectTokenType);

/// <summary>
/// Reads <c>client-auth</c> and the inputs of each method. A credential of another method given as well is an error,
/// not silently ignored: a workflow that passes both a secret and a key does not say which one the server expects.
/// </summary>
internal static class CredentialInputs
{
    private const string Methods = "client_secret_basic (default), client_secret_post, private_key_jwt or github_oidc";

    /// <summary>The credential, or null after reporting every problem to <paramref name="fail"/>.</summary>
    /// <param name="httpClient">What github_oidc asks GitHub's ID-token endpoint with, at every token request.</param>
    public static ActionCredential? Read(ActionInputs inputs, Func<string, string?> environment, HttpClient httpClient, TimeProvider timeProvider, Action<string, string> fail)
    {
        var method = ClientAuthMethod.ClientSecretBasic;
        if (inputs.Get("client-auth") is { } authText && (!ClientAuthMethodNames.TryParse(authText, out method) || method == ClientAuthMethod.AzureOidc))
        {
            fail("client-auth", method == ClientAuthMethod.AzureOidc
                ? "'azure_oidc' is Azure Pipelines' ID token (the StudioToken@1 task); in GitHub Actions use github_oidc"
                : $"'{authText}' is not supported; use {Methods}");
            return null;
        }

        var valid = true;
        void Refuse(string input, string message)
        {
            fail(input, message);
            valid = false;
        }

        var secret = inputs.Get("client-secret") is { } secretText ? new Secret(secretText) : null;
        var pem = inputs.Get("private-key") is { } pemText ? new Secret(pemText) : null;
        var wireName = method.ToWireName();
        switch (method)
        {
            case ClientAuthMethod.PrivateKeyJwt:
                if (pem is null)
                {
                    Refuse("private-key", "is required for private_key_jwt: pass the client's PEM private key from a secret, e.g. ${{ secrets.STUDIO_PRIVATE_KEY }}");
                }

                if (secret is not null)
                {
                    Refuse("client-secret", "is not used with client-auth private_key_jwt (the private key authenticates the client); remove client-secret");
                }

                break;
            case ClientAuthMethod.GitHubOidc:
                if (secret is not null)
                {
                    Refuse("client-secret", "is not used with client-auth github_oidc (the job's GitHub ID token authenticates the client); remove client-secret");
                }

                if (pem is not null)
                {
                    Refuse("private-key", "is not used with client-auth github_oidc (the job's GitHub ID token authenticates the client); remove private-key");
                }

                break;
            default:
                if (secret is null)
                {
                    Refuse("client-secret", $"is required for {wireName}: pass it from a secret, e.g. ${{{{ secrets.STUDIO_CLIENT_SECRET }}}} (or set client-auth to private_key_jwt or github_oidc to go without one)");
                }

                if (pem is not null)
                {
                    Refuse("private-key", $"is only used with client-auth private_key_jwt, not {wireName}; set client-auth: private_key_jwt (and remove client-secret), or remove private-key");
                }

                break;
        }

        // A setting of another method means the workflow meant that method.
        foreach (var input in new[] { "key-id", "assertion-audience", "assertion-type" })
        {
            if (method != ClientAuthMethod.PrivateKeyJwt && inputs.Get(input) is not null)
            {
                Refuse(input, $"is only used with client-auth private_key_jwt, not {wireName}; remove it or set client-auth: private_key_jwt");
            }
        }

        if (method != ClientAuthMethod.GitHubOidc && inputs.Get("oidc-audience") is not null)
        {
            Refuse("oidc-audience", $"is only used with client-auth github_oidc, not {wireName}; remove it or set client-auth: github_oidc");
        }

        var grant = TokenGrant.ClientCredentials;
        if (inputs.Get("grant") is { } grantText && !TokenGrantNames.TryParse(grantText, out grant))
        {
            Refuse("grant", $"'{grantText}' is not supported; use client_credentials (default) or token-exchange");
        }

        var subjectTokenType = inputs.Get("subject-token-type");
        if (subjectTokenType is not null && grant != TokenGrant.TokenExchange)
        {
            Refuse("subject-token-type", "is only used with grant: token-exchange; remove it or set grant: token-exchange");
        }

        var key = method == ClientAuthMethod.PrivateKeyJwt && pem is not null
            ? new ClientAssertionKey(pem)
            {
                KeyId = inputs.Get("key-id"),
                Audience = inputs.Get("assertion-audience"),
                Type = inputs.Get("assertion-type") ?? ClientAssertionKey.DefaultType,
            }
            : null;

        IClientAssertionSource? source = null;
        if (method == ClientAuthMethod.GitHubOidc)
        {
            try
            {
                // Only checks the runner's variables here; the first ID token is asked for with the first token request.
                source = GitHubIdTokenSource.FromEnvironment(environment, httpClient, timeProvider, inputs.Get("oidc-audience"));
            }
            catch (TokenConfigurationException ex)
            {
                Refuse(ex.Setting, ex.Message[(ex.Setting.Length + 2)..]);
            }
        }

        return valid
            ? new ActionCredential(method, method is ClientAuthMethod.ClientSecretBasic or ClientAuthMethod.ClientSecretPost ? secret : null, key, source, grant, subjectTokenType ?? TokenGrantNames.JwtTokenType)
            : null;
    }
}
