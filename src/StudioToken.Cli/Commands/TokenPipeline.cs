using System.CommandLine;
using StudioToken.Cli.Output;
using StudioToken.Cli.Settings;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Commands;

/// <summary>The pieces every token-getting command composes: request, source, retry and refresh policies.</summary>
internal sealed record TokenPipeline(TokenRequest Request, ITokenSource Source, TokenAcquirer Acquirer, RetryPolicy Retry, RefreshPolicy RefreshPolicy)
{
    public static TokenPipeline Create(OptionReader reader, ParseResult parseResult, ClientOptions client, DirectoryOptions directory, Redactor redactor, ConsoleLog log)
    {
        var context = reader.Context;
        var request = client.ReadRequest(reader, parseResult, redactor);
        var refreshPolicy = directory.ReadRefreshPolicy(reader);
        refreshPolicy.Validate();
        var retry = client.ReadRetryPolicy(reader);
        var tokenClient = new TokenClient(context.CreateHttpClient(), context.TimeProvider, refreshPolicy, context.Random);
        var source = new ClientCredentialsTokenSource(tokenClient, request);
        var acquirer = new TokenAcquirer(source, retry, context.TimeProvider, context.Random, log);
        return new TokenPipeline(request, source, acquirer, retry, refreshPolicy);
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
