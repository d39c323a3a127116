using System.CommandLine;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;

namespace StudioToken.Cli.Settings;

/// <summary>The options that say how to ask for a token; shared by <c>fetch</c>, <c>refresh</c> and <c>exec</c>.</summary>
internal sealed class ClientOptions
{
    public Option<string> TokenUrl { get; } = new("--token-url") { Description = "Token endpoint URL [env: STUDIO_TOKEN_URL]" };

    public Option<string> ClientId { get; } = new("--client-id") { Description = "OAuth client id [env: STUDIO_CLIENT_ID]" };

    public Option<string> ClientAuth { get; } = new("--client-auth") { Description = "client_secret_basic (default) or client_secret_post [env: STUDIO_CLIENT_AUTH]" };

    public Option<string> ClientSecretFile { get; } = new("--client-secret-file") { Description = "Read the client secret from this file (else STUDIO_CLIENT_SECRET) [env: STUDIO_CLIENT_SECRET_FILE]" };

    public Option<bool> ClientSecretStdin { get; } = new("--client-secret-stdin") { Description = "Read the client secret from the first line of standard input" };

    /// <summary>Exists only to refuse a secret on the command line without echoing it, as a parse error would.</summary>
    public Option<string> ClientSecretOnCommandLine { get; } = new("--client-secret") { Hidden = true };

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
        foreach (var option in new Option[] { TokenUrl, ClientId, ClientAuth, ClientSecretFile, ClientSecretStdin, ClientSecretOnCommandLine, Scope, Audience, Resource, ExtraParams, AllowInsecureHttp, Timeout, AssumedLifetime, MaxAttempts })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Builds the request; the secret it reads is added to <paramref name="redactor"/> before anything can print it.</summary>
    public TokenRequest ReadRequest(OptionReader reader, ParseResult parseResult, Redactor redactor)
    {
        if (parseResult.GetResult(ClientSecretOnCommandLine) is not null)
        {
            throw new TokenConfigurationException("--client-secret", "a secret on the command line shows in process lists and shell history; set STUDIO_CLIENT_SECRET, or use --client-secret-file or --client-secret-stdin");
        }

        var secret = ReadSecret(reader, parseResult);
        redactor.Add(secret);

        var tokenUrlText = reader.Required(TokenUrl, "STUDIO_TOKEN_URL", "https://studio.example.com/api/v2/oauth/token");
        if (!Uri.TryCreate(tokenUrlText, UriKind.Absolute, out var tokenUrl))
        {
            throw new TokenConfigurationException(TokenUrl.Name, $"'{tokenUrlText}' is not an absolute URL, e.g. https://studio.example.com/api/v2/oauth/token");
        }

        var authText = reader.String(ClientAuth, "STUDIO_CLIENT_AUTH");
        var method = ClientAuthMethod.ClientSecretBasic;
        if (authText is not null && !ClientAuthMethodNames.TryParse(authText, out method))
        {
            throw new TokenConfigurationException(ClientAuth.Name, $"'{authText}' is not supported; use client_secret_basic or client_secret_post");
        }

        var request = new TokenRequest
        {
            TokenUrl = tokenUrl,
            ClientId = reader.Required(ClientId, "STUDIO_CLIENT_ID", "my-client"),
            ClientSecret = secret,
            AuthMethod = method,
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
        request.Validate();
        return request;
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
                : "no client secret; set STUDIO_CLIENT_SECRET, or use --client-secret-file or --client-secret-stdin");
        }

        return new Secret(text);
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
