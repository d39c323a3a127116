using System.CommandLine;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Entra;

namespace StudioToken.Cli.Settings;

/// <summary>
/// <c>--provider entra</c>: Entra ID through MSAL instead of a token endpoint of our own. The client id, the secret or
/// federated method, the scope or resource and the timeout come from <see cref="ClientOptions"/>; these add the
/// tenant, the cloud and the certificate.
/// </summary>
internal sealed class EntraOptions
{
    public const string OAuthProvider = "oauth";
    public const string EntraProvider = "entra";

    public Option<string> Provider { get; } = new("--provider") { Description = "oauth (default: the token endpoint at --token-url or --issuer) or entra (Entra ID through MSAL: --tenant-id, --client-id, then a client secret, --certificate-file, or --client-auth github_oidc|azure_oidc) [env: STUDIO_PROVIDER]" };

    public Option<string> TenantId { get; } = new("--tenant-id") { Description = "entra: the directory (tenant) id [env: STUDIO_TENANT_ID]" };

    public Option<string> AuthorityHost { get; } = new("--authority-host") { Description = "entra: login host of a sovereign cloud, e.g. https://login.microsoftonline.us (default https://login.microsoftonline.com) [env: STUDIO_AUTHORITY_HOST]" };

    public Option<string> CertificateFile { get; } = new("--certificate-file") { Description = "entra: the app's certificate with its private key, PEM (or PFX, its password in STUDIO_CERTIFICATE_PASSWORD) [env: STUDIO_CERTIFICATE_FILE]" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Provider, TenantId, AuthorityHost, CertificateFile })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether Entra is the provider; flags that only Entra uses, given with another provider, are an error.</summary>
    public bool IsChosen(OptionReader reader, ParseResult parseResult)
    {
        var provider = reader.String(Provider, "STUDIO_PROVIDER")?.ToLowerInvariant() ?? OAuthProvider;
        if (provider == EntraProvider)
        {
            return true;
        }

        if (provider != OAuthProvider)
        {
            throw new TokenConfigurationException(Provider.Name, $"'{provider}' is not supported; use {OAuthProvider} or {EntraProvider}");
        }

        // Only flags: a STUDIO_TENANT_ID left in a job's environment for other tools must not break the generic client.
        if (new[] { TenantId, AuthorityHost, CertificateFile }.FirstOrDefault(o => parseResult.GetResult(o) is not null) is { } entraOnly)
        {
            throw new TokenConfigurationException(entraOnly.Name, $"is only used with {Provider.Name} {EntraProvider}");
        }

        return false;
    }

    /// <summary>
    /// The Entra settings, and the request the rest of the CLI reads (token URL for <c>token.json</c>, client id,
    /// scope). Every secret read is added to <paramref name="redactor"/> before anything can print it.
    /// </summary>
    public (TokenRequest Request, EntraSettings Settings) Read(OptionReader reader, ParseResult parseResult, ClientOptions client, Redactor redactor)
    {
        var tenant = reader.Required(TenantId, "STUDIO_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        if (EntraSettings.TenantProblem(tenant) is { } problem)
        {
            throw problem;
        }

        var host = ReadAuthorityHost(reader);
        RefuseGenericOnlySettings(reader, parseResult, client);
        var tokenEndpoint = EntraSettings.TokenEndpointOf(host, tenant);

        var method = client.ReadAuthMethod(reader);
        var certificateFile = reader.String(CertificateFile, "STUDIO_CERTIFICATE_FILE");
        TokenRequest request;
        EntraCredential credential;
        if (certificateFile is not null)
        {
            if (method is not null)
            {
                throw new TokenConfigurationException(CertificateFile.Name, $"cannot be combined with {client.ClientAuth.Name} {method.Value.ToWireName()}; the certificate is the credential");
            }

            var password = reader.Context.GetEnvironmentVariable("STUDIO_CERTIFICATE_PASSWORD") is { Length: > 0 } text ? new Secret(text) : null;
            redactor.Add(password);
            credential = new EntraCredential.ClientCertificate(EntraCertificate.Load(certificateFile, CertificateFile.Name, password));
            request = ReadCertificateRequest(reader, parseResult, client, tokenEndpoint);
        }
        else
        {
            if (method == ClientAuthMethod.PrivateKeyJwt)
            {
                throw new TokenConfigurationException(client.ClientAuth.Name, $"private_key_jwt is not used with {Provider.Name} {EntraProvider}: give the certificate uploaded to the app with {CertificateFile.Name}");
            }

            // ClientOptions reads the secret (environment, file or standard input) or sets up the CI platform's ID
            // token as it does for any server; the Entra endpoint stands in for the token URL it requires.
            var withTokenUrl = reader.Context with
            {
                GetEnvironmentVariable = name => name == "STUDIO_TOKEN_URL" ? tokenEndpoint.AbsoluteUri : reader.Context.GetEnvironmentVariable(name),
            };
            try
            {
                request = client.ReadRequest(new OptionReader(parseResult, withTokenUrl), parseResult, redactor);
            }
            catch (TokenConfigurationException ex) when (ex.Setting == "client-secret" && !ex.Message.Contains(" is empty", StringComparison.Ordinal))
            {
                throw new TokenConfigurationException("client-secret", $"no credential for {Provider.Name} {EntraProvider}; set STUDIO_CLIENT_SECRET (or use --client-secret-file or --client-secret-stdin), pass {CertificateFile.Name}, or --client-auth github_oidc or azure_oidc");
            }

            if (request.ClientAssertionKey is not null)
            {
                throw new TokenConfigurationException(client.PrivateKeyFile.Name, $"a private key is not used with {Provider.Name} {EntraProvider}: give the certificate uploaded to the app with {CertificateFile.Name}");
            }

            if (request.Grant != TokenGrant.ClientCredentials)
            {
                throw new TokenConfigurationException(client.Grant.Name, $"only client_credentials is used with {Provider.Name} {EntraProvider}; a federated ID token is sent as the client assertion");
            }
            credential = request.AuthMethod.IsFederated()
                ? new EntraCredential.FederatedAssertion(request.AssertionSource!)
                : new EntraCredential.ClientSecret(request.ClientSecret!);
        }

        var settings = new EntraSettings
        {
            TenantId = tenant,
            ClientId = request.ClientId,
            Credential = credential,
            Scopes = Scopes(request, client),
            AuthorityHost = host,
            RequestTimeout = request.RequestTimeout,
        };
        settings.Validate();
        return (request, settings);
    }

    private Uri ReadAuthorityHost(OptionReader reader)
    {
        var text = reader.String(AuthorityHost, "STUDIO_AUTHORITY_HOST");
        if (text is null)
        {
            return EntraSettings.DefaultAuthorityHost;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var host))
        {
            throw new TokenConfigurationException(AuthorityHost.Name, $"'{text}' is not an absolute URL, e.g. https://login.microsoftonline.us");
        }

        return EntraSettings.AuthorityHostProblem(host) is { } problem ? throw problem : host;
    }

    /// <summary>What MSAL would not send, or where Entra's endpoint is fixed: an error rather than silently unused.</summary>
    private void RefuseGenericOnlySettings(OptionReader reader, ParseResult parseResult, ClientOptions client)
    {
        var endpointName = reader.String(client.TokenUrl, "STUDIO_TOKEN_URL") is not null ? client.TokenUrl.Name
            : reader.String(client.Issuer, "STUDIO_ISSUER") is not null ? client.Issuer.Name
            : null;
        if (endpointName is not null)
        {
            throw new TokenConfigurationException(endpointName, $"is not used with {Provider.Name} {EntraProvider}: the token endpoint is the tenant's (set {TenantId.Name}, and {AuthorityHost.Name} for a sovereign cloud)");
        }

        foreach (var (option, variable) in new[] { (client.Audience, "STUDIO_AUDIENCE"), (client.AssertionAudience, "STUDIO_ASSERTION_AUDIENCE"), (client.KeyId, "STUDIO_KEY_ID") })
        {
            if (reader.String(option, variable) is not null)
            {
                throw new TokenConfigurationException(option.Name, $"is not used with {Provider.Name} {EntraProvider}; Entra takes a resource or scopes");
            }
        }

        if (parseResult.GetResult(client.ExtraParams) is not null || !string.IsNullOrWhiteSpace(reader.Context.GetEnvironmentVariable("STUDIO_EXTRA_PARAMS")))
        {
            throw new TokenConfigurationException(client.ExtraParams.Name, $"is not used with {Provider.Name} {EntraProvider}; MSAL sends the request");
        }
    }

    /// <summary>
    /// The settings every request has, for a certificate, where <see cref="ClientOptions.ReadRequest"/> cannot be used:
    /// it insists on a secret or key of its own kinds.
    /// </summary>
    private static TokenRequest ReadCertificateRequest(OptionReader reader, ParseResult parseResult, ClientOptions client, Uri tokenEndpoint)
    {
        var resourceTexts = parseResult.GetResult(client.Resource) is not null
            ? parseResult.GetValue(client.Resource) ?? []
            : [reader.Context.GetEnvironmentVariable("STUDIO_RESOURCE") ?? string.Empty];
        var problems = new List<string>();
        var resources = ParameterText.ParseResources(resourceTexts, problems);
        var timeout = reader.Duration(client.Timeout, "STUDIO_TIMEOUT") ?? TimeSpan.FromSeconds(30);
        return problems.Count > 0
            ? throw new TokenConfigurationException(client.Resource.Name, problems[0])
            : new TokenRequest
            {
                TokenUrl = tokenEndpoint,
                ClientId = reader.Required(client.ClientId, "STUDIO_CLIENT_ID", "00000000-0000-0000-0000-000000000000"),
                Scope = reader.String(client.Scope, "STUDIO_SCOPE"),
                Resources = resources,
                RequestTimeout = timeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : timeout,
            };
    }

    /// <summary>Scopes as given, else the resource's <c>.default</c>: one resource only, since Entra issues a token for one.</summary>
    private static IReadOnlyList<string> Scopes(TokenRequest request, ClientOptions client) =>
        EntraSettings.ScopesFor(request, out var problem) ?? throw problem switch
        {
            EntraScopeProblem.ScopeAndResource => new TokenConfigurationException(client.Scope.Name, $"give either {client.Scope.Name} or {client.Resource.Name} with {EntraProvider}, not both"),
            EntraScopeProblem.NoResource => new TokenConfigurationException(client.Resource.Name, "Entra needs what the token is for: pass --resource https://management.azure.com (its .default scope is asked for) or --scope, or set STUDIO_RESOURCE or STUDIO_SCOPE"),
            _ => new TokenConfigurationException(client.Resource.Name, "Entra issues a token for one resource at a time; give one"),
        };
}
