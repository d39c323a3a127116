using System.CommandLine;
using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.GitHub.Oidc;

namespace StudioToken.Cli.Settings;

/// <summary>The options that say how to ask for a token; shared by <c>fetch</c>, <c>refresh</c> and <c>exec</c>.</summary>
internal sealed class ClientOptions
{
    public Option<string> TokenUrl { get; } = new("--token-url") { Description = "Token endpoint URL [env: STUDIO_TOKEN_URL]" };

    public Option<string> Issuer { get; } = new("--issuer") { Description = "Issuer URL: discover the token and revocation endpoints and the client-auth methods from its metadata (RFC 8414, OpenID); --token-url wins over the discovered one [env: STUDIO_ISSUER]" };

    public Option<string> ClientId { get; } = new("--client-id") { Description = "OAuth client id [env: STUDIO_CLIENT_ID]" };

    public Option<string> ClientAuth { get; } = new("--client-auth") { Description = "client_secret_basic, client_secret_post, private_key_jwt, github_oidc (the job's GitHub Actions ID token) or azure_oidc (the job's Azure Pipelines OIDC token) (default: private_key_jwt when a key is given, else client_secret_basic, or client_secret_post if the --issuer's server lists only that) [env: STUDIO_CLIENT_AUTH]" };

    public Option<string> ClientSecretFile { get; } = new("--client-secret-file") { Description = "Read the client secret from this file (else STUDIO_CLIENT_SECRET) [env: STUDIO_CLIENT_SECRET_FILE]" };

    public Option<bool> ClientSecretStdin { get; } = new("--client-secret-stdin") { Description = "Read the client secret from the first line of standard input" };

    /// <summary>Exists only to refuse a secret on the command line without echoing it, as a parse error would.</summary>
    public Option<string> ClientSecretOnCommandLine { get; } = new("--client-secret") { Hidden = true };

    public Option<string> PrivateKeyFile { get; } = new("--private-key-file") { Description = "private_key_jwt: read the client's private key (PEM: PKCS#8, RSA or EC) from this file (else STUDIO_PRIVATE_KEY) [env: STUDIO_PRIVATE_KEY_FILE]" };

    /// <summary>Exists only to refuse a key on the command line without echoing it, as a parse error would.</summary>
    public Option<string> PrivateKeyOnCommandLine { get; } = new("--private-key") { Hidden = true };

    public Option<string> KeyId { get; } = new("--key-id") { Description = "private_key_jwt: kid header naming the key at the server [env: STUDIO_KEY_ID]" };

    public Option<string> AssertionAudience { get; } = new("--assertion-audience") { Description = "private_key_jwt: aud of the assertion (default: the token URL; OpenIddict wants its issuer) [env: STUDIO_ASSERTION_AUDIENCE]" };

    public Option<string> AssertionType { get; } = new("--assertion-type") { Description = "private_key_jwt: typ header of the assertion (default JWT; OpenIddict wants client-authentication+jwt) [env: STUDIO_ASSERTION_TYPE]" };

    public Option<string> OidcAudience { get; } = new("--oidc-audience") { Description = "github_oidc: aud of the GitHub ID token, as the server's federation trust expects (default: GitHub's, https://github.com/OWNER) [env: STUDIO_OIDC_AUDIENCE]" };

    public Option<string> AzureServiceConnection { get; } = new("--azure-service-connection") { Description = "azure_oidc: id of the service connection the OIDC token is issued for [env: STUDIO_AZURE_SERVICE_CONNECTION_ID]" };

    public Option<string> Grant { get; } = new("--grant") { Description = "client_credentials (default) or token-exchange: send the github_oidc/azure_oidc ID token as an RFC 8693 subject_token instead of as the client assertion [env: STUDIO_GRANT]" };

    public Option<string> SubjectTokenType { get; } = new("--subject-token-type") { Description = "token-exchange: subject_token_type (default urn:ietf:params:oauth:token-type:jwt) [env: STUDIO_SUBJECT_TOKEN_TYPE]" };

    public Option<string> Scope { get; } = new("--scope") { Description = "Space-separated scopes, e.g. studio:script [env: STUDIO_SCOPE]" };

    public Option<string> Audience { get; } = new("--audience") { Description = "audience parameter (Auth0, Okta) [env: STUDIO_AUDIENCE]" };

    public Option<string[]> Resource { get; } = new("--resource") { Description = "RFC 8707 resource indicator; repeatable [env: STUDIO_RESOURCE, space-separated]" };

    public Option<string[]> ExtraParams { get; } = new("--extra-params") { Description = "Extra form parameters name=value (or a=b&c=d); repeatable [env: STUDIO_EXTRA_PARAMS, one per line]" };

    public Option<bool> AllowInsecureHttp { get; } = new("--allow-insecure-http") { Description = "Allow http:// to a host that is not loopback [env: STUDIO_ALLOW_INSECURE_HTTP]" };

    public Option<string> Timeout { get; } = new("--timeout") { Description = "Per-request timeout (default 30s; 0 for none) [env: STUDIO_TIMEOUT]" };

    public Option<string> AssumedLifetime { get; } = new("--assumed-lifetime") { Description = "Lifetime to assume when the response gives none (default 1h) [env: STUDIO_ASSUMED_LIFETIME]" };

    public Option<string> MaxAttempts { get; } = new("--max-attempts") { Description = "Attempts for the first token on transient failures (default 5) [env: STUDIO_MAX_ATTEMPTS]" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { TokenUrl, Issuer, ClientId, ClientAuth, ClientSecretFile, ClientSecretStdin, ClientSecretOnCommandLine, PrivateKeyFile, PrivateKeyOnCommandLine, KeyId, AssertionAudience, AssertionType, OidcAudience, AzureServiceConnection, Grant, SubjectTokenType, Scope, Audience, Resource, ExtraParams, AllowInsecureHttp, Timeout, AssumedLifetime, MaxAttempts })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Builds the request; the secret or key it reads is added to <paramref name="redactor"/> before anything can print
    /// it. Without <c>--client-auth</c> a private key, when given, means private_key_jwt (a client secret given as well
    /// is then read only for discovery to fall back on); otherwise client_secret_basic.
    /// </summary>
    public TokenRequest ReadRequest(OptionReader reader, ParseResult parseResult, Redactor redactor)
    {
        if (parseResult.GetResult(ClientSecretOnCommandLine) is not null)
        {
            throw new TokenConfigurationException("--client-secret", "a secret on the command line shows in process lists and shell history; set STUDIO_CLIENT_SECRET, or use --client-secret-file or --client-secret-stdin");
        }

        if (parseResult.GetResult(PrivateKeyOnCommandLine) is not null)
        {
            throw new TokenConfigurationException("--private-key", "a key on the command line shows in process lists and shell history; set STUDIO_PRIVATE_KEY (the PEM text) or use --private-key-file");
        }

        var chosenMethod = ReadAuthMethod(reader);
        var grant = ReadGrant(reader);
        if (chosenMethod is { } federated && federated.IsFederated())
        {
            return ReadFederatedRequest(reader, federated, grant);
        }

        var key = chosenMethod is null or ClientAuthMethod.PrivateKeyJwt ? ReadPrivateKey(reader, parseResult, redactor) : null;
        if (chosenMethod == ClientAuthMethod.PrivateKeyJwt && key is null)
        {
            throw new TokenConfigurationException("private-key", "private_key_jwt needs the client's private key; set STUDIO_PRIVATE_KEY (the PEM text) or use --private-key-file");
        }

        var secret = chosenMethod == ClientAuthMethod.PrivateKeyJwt || (key is not null && !SecretGiven(reader, parseResult))
            ? null
            : ReadSecret(reader, parseResult);
        redactor.Add(secret);

        // With --issuer alone the issuer stands in for the token URL until discovery names the token endpoint
        // (TokenPipeline), so that every setting is checked before anything is sent.
        var tokenUrl = ReadTokenUrl(reader) ?? ReadIssuer(reader)
            ?? throw new TokenConfigurationException(TokenUrl.Name, "is required; pass --token-url https://studio.example.com/api/v2/oauth/token (or --issuer https://id.example.com to discover it), or set STUDIO_TOKEN_URL or STUDIO_ISSUER");
        var method = chosenMethod ?? (key is null ? ClientAuthMethod.ClientSecretBasic : ClientAuthMethod.PrivateKeyJwt);

        var request = Common(reader, parseResult, tokenUrl) with
        {
            ClientSecret = secret,
            ClientAssertionKey = key,
            AuthMethod = method,
            Grant = grant,
        };
        request.Validate();
        return request;
    }

    /// <summary>
    /// github_oidc and azure_oidc: no secret or key is read (one given anyway is left alone); the CI platform's ID
    /// token is asked for at each request, so a missing permission is found here, before anything is sent.
    /// </summary>
    private TokenRequest ReadFederatedRequest(OptionReader reader, ClientAuthMethod method, TokenGrant grant)
    {
        var context = reader.Context;
        var tokenUrl = ReadTokenUrl(reader) ?? ReadIssuer(reader)
            ?? throw new TokenConfigurationException(TokenUrl.Name, "is required; pass --token-url https://studio.example.com/api/v2/oauth/token (or --issuer https://id.example.com to discover it), or set STUDIO_TOKEN_URL or STUDIO_ISSUER");
        IClientAssertionSource source = method == ClientAuthMethod.GitHubOidc
            ? GitHubIdTokenSource.FromEnvironment(context.GetEnvironmentVariable, context.CreateHttpClient(), context.TimeProvider, reader.String(OidcAudience, "STUDIO_OIDC_AUDIENCE"))
            : AzureOidcTokenSource.FromEnvironment(context.GetEnvironmentVariable, context.CreateHttpClient(), context.TimeProvider, reader.String(AzureServiceConnection, "STUDIO_AZURE_SERVICE_CONNECTION_ID")
                ?? throw new TokenConfigurationException(AzureServiceConnection.Name, "is required for azure_oidc; give the id of the service connection the server trusts, or set STUDIO_AZURE_SERVICE_CONNECTION_ID"));
        var request = Common(reader, reader.ParseResult, tokenUrl) with
        {
            AuthMethod = method,
            AssertionSource = source,
            Grant = grant,
            SubjectTokenType = reader.String(SubjectTokenType, "STUDIO_SUBJECT_TOKEN_TYPE") ?? TokenGrantNames.JwtTokenType,
        };
        request.Validate();
        return request;
    }

    private TokenGrant ReadGrant(OptionReader reader)
    {
        var text = reader.String(Grant, "STUDIO_GRANT");
        return text is null ? TokenGrant.ClientCredentials
            : TokenGrantNames.TryParse(text, out var grant) ? grant
            : throw new TokenConfigurationException(Grant.Name, $"'{text}' is not supported; use client_credentials or token-exchange");
    }

    /// <summary>What every client sends, whatever its credential.</summary>
    private TokenRequest Common(OptionReader reader, ParseResult parseResult, Uri tokenUrl)
    {
        var request = new TokenRequest
        {
            TokenUrl = tokenUrl,
            ClientId = reader.Required(ClientId, "STUDIO_CLIENT_ID", "my-client"),
            Scope = reader.String(Scope, "STUDIO_SCOPE"),
            Audience = reader.String(Audience, "STUDIO_AUDIENCE"),
            Resources = ReadResources(reader, parseResult),
            ExtraParameters = ReadExtraParameters(reader, parseResult),
            AllowInsecureHttp = reader.Flag(AllowInsecureHttp, "STUDIO_ALLOW_INSECURE_HTTP"),
            RequestTimeout = reader.Duration(Timeout, "STUDIO_TIMEOUT") switch
            {
                null => TimeSpan.FromSeconds(30),
                { } none when none == TimeSpan.Zero => System.Threading.Timeout.InfiniteTimeSpan,
                { } timeout => timeout,
            },
            AssumedLifetime = reader.Duration(AssumedLifetime, "STUDIO_ASSUMED_LIFETIME") ?? TimeSpan.FromHours(1),
        };
        return request;
    }

    public Uri? ReadTokenUrl(OptionReader reader)
    {
        var text = reader.String(TokenUrl, "STUDIO_TOKEN_URL");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var tokenUrl)
            ? tokenUrl
            : throw new TokenConfigurationException(TokenUrl.Name, $"'{text}' is not an absolute URL, e.g. https://studio.example.com/api/v2/oauth/token");
    }

    /// <summary>The issuer whose metadata names the endpoints, held to the token URL's rules; null without <c>--issuer</c>.</summary>
    public Uri? ReadIssuer(OptionReader reader)
    {
        var text = reader.String(Issuer, "STUDIO_ISSUER");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var issuer))
        {
            throw new TokenConfigurationException(Issuer.Name, $"'{text}' is not an absolute URL, e.g. https://id.example.com");
        }

        return MetadataDiscovery.IssuerProblem(issuer, reader.Flag(AllowInsecureHttp, "STUDIO_ALLOW_INSECURE_HTTP")) is { } problem
            ? throw new TokenConfigurationException(Issuer.Name, $"'{text}' {problem}")
            : issuer;
    }

    /// <summary>The method the user chose; null when they did not (discovery then picks one, else client_secret_basic).</summary>
    public ClientAuthMethod? ReadAuthMethod(OptionReader reader)
    {
        var authText = reader.String(ClientAuth, "STUDIO_CLIENT_AUTH");
        if (authText is null)
        {
            return null;
        }

        return ClientAuthMethodNames.TryParse(authText, out var method)
            ? method
            : throw new TokenConfigurationException(ClientAuth.Name, $"'{authText}' is not supported; use {ClientAuthMethodNames.AllNames}");
    }

    public RetryPolicy ReadRetryPolicy(OptionReader reader) =>
        new() { MaxAttempts = reader.PositiveInteger(MaxAttempts, "STUDIO_MAX_ATTEMPTS") ?? 5 };

    private Secret ReadSecret(OptionReader reader, ParseResult parseResult)
    {
        var file = reader.String(ClientSecretFile, "STUDIO_CLIENT_SECRET_FILE");
        var fromStdin = parseResult.GetValue(ClientSecretStdin);
        if (file is not null && fromStdin)
        {
            throw new TokenConfigurationException(ClientSecretStdin.Name, $"cannot be combined with {ClientSecretFile.Name}; choose one source for the secret");
        }

        string? text;
        string source;
        if (fromStdin)
        {
            text = reader.Context.Input.ReadLine();
            source = "standard input";
        }
        else if (file is not null)
        {
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TokenConfigurationException(ClientSecretFile.Name, $"cannot read {file}: {ex.Message}");
            }

            source = file;
        }
        else
        {
            text = reader.Context.GetEnvironmentVariable("STUDIO_CLIENT_SECRET");
            source = "STUDIO_CLIENT_SECRET";
        }

        // A trailing newline from `echo` or an editor is never part of a secret.
        text = text?.TrimEnd('\r', '\n');
        if (string.IsNullOrEmpty(text))
        {
            throw new TokenConfigurationException("client-secret", fromStdin || file is not null
                ? $"{source} is empty; put the client secret there"
                : "no client secret; set STUDIO_CLIENT_SECRET, or use --client-secret-file or --client-secret-stdin (or, for private_key_jwt, STUDIO_PRIVATE_KEY or --private-key-file)");
        }

        return new Secret(text);
    }

    private bool SecretGiven(OptionReader reader, ParseResult parseResult) =>
        reader.String(ClientSecretFile, "STUDIO_CLIENT_SECRET_FILE") is not null
        || parseResult.GetValue(ClientSecretStdin)
        || !string.IsNullOrEmpty(reader.Context.GetEnvironmentVariable("STUDIO_CLIENT_SECRET"));

    /// <summary>
    /// The private key from <c>--private-key-file</c> (or <c>STUDIO_PRIVATE_KEY_FILE</c>), else the PEM text in
    /// <c>STUDIO_PRIVATE_KEY</c>; null when neither is given. Checked here, so a bad key is named by where it came from.
    /// </summary>
    private ClientAssertionKey? ReadPrivateKey(OptionReader reader, ParseResult parseResult, Redactor redactor)
    {
        // A PEM is a few kilobytes; a bigger file is the wrong file, and is not read whole into memory.
        const long maxKeyFileBytes = 64 * 1024;
        string? text;
        string setting;
        string where;
        var file = reader.String(PrivateKeyFile, "STUDIO_PRIVATE_KEY_FILE");
        if (file is not null)
        {
            try
            {
                text = new FileInfo(file).Length > maxKeyFileBytes
                    ? throw new TokenConfigurationException(PrivateKeyFile.Name, $"{file} is over {maxKeyFileBytes / 1024} KiB, too big for a PEM private key; check the path")
                    : File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TokenConfigurationException(PrivateKeyFile.Name, $"cannot read {file}: {ex.Message}");
            }

            (setting, where) = (PrivateKeyFile.Name, file + " ");
        }
        else
        {
            text = reader.Context.GetEnvironmentVariable("STUDIO_PRIVATE_KEY");
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            // Some CI variable stores keep a pasted PEM on one line with literal "\n" escapes.
            if (!text.Contains('\n', StringComparison.Ordinal))
            {
                text = text.Replace("\\n", "\n", StringComparison.Ordinal);
            }

            (setting, where) = ("STUDIO_PRIVATE_KEY", string.Empty);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TokenConfigurationException(setting, $"{where}is empty; put the client's private key (PEM) there");
        }

        var pem = new Secret(text);
        redactor.Add(pem);
        var key = new ClientAssertionKey(pem)
        {
            KeyId = reader.String(KeyId, "STUDIO_KEY_ID"),
            Audience = reader.String(AssertionAudience, "STUDIO_ASSERTION_AUDIENCE"),
            Type = reader.String(AssertionType, "STUDIO_ASSERTION_TYPE") ?? ClientAssertionKey.DefaultType,
        };
        return key.KeyProblem() is { } problem
            ? throw new TokenConfigurationException(setting, where + problem)
            : key;
    }

    private List<Uri> ReadResources(OptionReader reader, ParseResult parseResult)
    {
        var texts = parseResult.GetResult(Resource) is not null
            ? parseResult.GetValue(Resource) ?? []
            : [reader.Context.GetEnvironmentVariable("STUDIO_RESOURCE") ?? string.Empty];
        var problems = new List<string>();
        var resources = ParameterText.ParseResources(texts, problems);
        return problems.Count == 0 ? resources : throw new TokenConfigurationException(Resource.Name, problems[0]);
    }

    private List<KeyValuePair<string, string>> ReadExtraParameters(OptionReader reader, ParseResult parseResult)
    {
        var lines = parseResult.GetResult(ExtraParams) is not null
            ? parseResult.GetValue(ExtraParams) ?? []
            : (reader.Context.GetEnvironmentVariable("STUDIO_EXTRA_PARAMS") ?? string.Empty).Split('\n');
        var problems = new List<string>();
        var parameters = ParameterText.ParseExtraParameters(lines, problems);
        return problems.Count == 0 ? parameters : throw new TokenConfigurationException(ExtraParams.Name, problems[0]);
    }
}
