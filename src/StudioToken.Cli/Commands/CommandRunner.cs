using StudioToken.Cli.Output;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Cli.Commands;

/// <summary>
/// Runs a command body and turns every expected failure into one redacted line on standard error and the contract's
/// exit code, so no command prints a stack trace or a secret.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliContext context, Func<ConsoleLog, Redactor, Task<int>> body)
    {
        var redactor = new Redactor();
        var log = new ConsoleLog(context.Error, redactor);
        try
        {
            return await body(log, redactor);
        }
        catch (TokenConfigurationException ex)
        {
            log.Error(ex.Message);
            return ExitCodes.Usage;
        }
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName is nameof(RefreshPolicy.RefreshAt) or nameof(RefreshPolicy.Jitter))
        {
            log.Error(ex.Message.Split(" (Parameter", 2)[0]);
            return ExitCodes.Usage;
        }
        catch (TokenRequestException ex)
        {
            log.Error(ex.Message);
            return ex.Kind == TokenFailureKind.Rejected ? ExitCodes.Rejected : ExitCodes.Unavailable;
        }
        catch (NoValidTokenException ex)
        {
            log.Error(ex.Message);
            return ExitCodes.NoValidToken;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error($"cannot write the token directory: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            log.Information("cancelled");
            return ExitCodes.Unavailable;
        }
    }
}
