using System.CommandLine;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Entra;

namespace StudioToken.Cli.Commands;

/// <summary>
/// The pieces every token-getting command composes: request, source, retry and refresh policies, and with
/// <c>--issuer</c> the server's metadata (where the token URL, the revocation endpoint and the auth method came from).
/// With <c>--provider entra</c> the source is MSAL's instead; the rest is the same.
/// </summary>
internal sealed record TokenPipeline(TokenRequest Request, ITokenSource Source, TokenAcquirer Acquirer, RetryPolicy Retry, RefreshPolicy RefreshPolicy, ServerMetadata? Metadata)
{
    /// <summary>With <c>--issuer</c>: the endpoints and methods the metadata decided.</summary>
    public DiscoveredClient? Discovered { get; init; }

    /// <summary>Checks every setting first (exit 1, nothing sent), then discovers the endpoints when an issuer is given.</summary>
    /// <param name="revocationUrl">The revocation endpoint the user gave (<c>exec</c>), which wins over a discovered one.</param>
    public static async Task<TokenPipeline> CreateAsync(OptionReader reader, ParseResult parseResult, ClientOptions client, EntraOptions entra, DirectoryOptions directory, Redactor redactor, ConsoleLog log, CancellationToken cancellationToken, Uri? revocationUrl = null)
    {
        if (entra.IsChosen(reader, parseResult))
        {
            return EntraFeature.IsSupported
                ? CreateEntra(reader, parseResult, client, entra, directory, redactor, log)
                : throw new TokenConfigurationException(entra.Provider.Name, $"{EntraOptions.EntraProvider} is not in this build (the GitHub Action's image); run the studio-token CLI release for Entra ID");
        }

        var context = reader.Context;
        var request = client.ReadRequest(reader, parseResult, redactor);
        var issuer = client.ReadIssuer(reader);
        var refreshPolicy = directory.ReadRefreshPolicy(reader);
        refreshPolicy.Validate();
        var retry = client.ReadRetryPolicy(reader);
        var http = context.CreateHttpClient();

        ServerMetadata? metadata = null;
        DiscoveredClient? discovered = null;
        if (issuer is not null)
        {
            metadata = await new MetadataDiscovery(http, context.TimeProvider, retry, context.Random, log)
                .DiscoverAsync(issuer, request.AllowInsecureHttp, request.RequestTimeout, cancellationToken);
            discovered = DiscoveredClient.Decide(metadata, request, client.ReadTokenUrl(reader), client.ReadAuthMethod(reader), revocationUrl);
            request = discovered.ApplyTo(request);
            request.Validate();
        }

        var tokenClient = new TokenClient(http, context.TimeProvider, refreshPolicy, context.Random);
        var source = new ClientCredentialsTokenSource(tokenClient, request);
        var acquirer = new TokenAcquirer(source, retry, context.TimeProvider, context.Random, log);
        return new TokenPipeline(request, source, acquirer, retry, refreshPolicy, metadata) { Discovered = discovered };
    }

    /// <summary>
    /// One <see cref="EntraTokenSource"/>, so one MSAL application, for the whole process: every refresh goes through it
    /// and finds MSAL's cache and Entra's <c>refresh_in</c> from the token before.
    /// </summary>
    private static TokenPipeline CreateEntra(OptionReader reader, ParseResult parseResult, ClientOptions client, EntraOptions entra, DirectoryOptions directory, Redactor redactor, ConsoleLog log)
    {
        var context = reader.Context;
        var (request, settings) = entra.Read(reader, parseResult, client, redactor);
        var refreshPolicy = directory.ReadRefreshPolicy(reader);
        refreshPolicy.Validate();
        var retry = client.ReadRetryPolicy(reader);
        var source = new EntraTokenSource(settings, context.CreateHttpClient(), context.TimeProvider, refreshPolicy, context.Random, redactor);
        var acquirer = new TokenAcquirer(source, retry, context.TimeProvider, context.Random, log);
        return new TokenPipeline(request, source, acquirer, retry, refreshPolicy, Metadata: null);
    }

    /// <summary>Gets the first token, reporting the response's warnings.</summary>
    public async Task<AccessToken> FirstTokenAsync(ConsoleLog log, Redactor redactor, CancellationToken cancellationToken)
    {
        var response = await Acquirer.AcquireAsync(cancellationToken);
        redactor.Add(response.Token.Value);
        foreach (var warning in response.Warnings)
        {
            log.Warning(warning);
        }

        return response.Token;
    }
}
