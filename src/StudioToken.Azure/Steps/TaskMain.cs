using System.Security.Cryptography;
using StudioToken.Azure.Agent;
using StudioToken.Azure.Inputs;
using StudioToken.Core;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;

namespace StudioToken.Azure.Steps;

/// <summary>
/// The task's main step: check the inputs, fetch the first token and register it as a secret before anything could
/// print it, write the token directory under the agent's temp directory, set the output variables, put
/// <c>studio-token</c> on the PATH of later steps, and leave a refresher running in the background.
/// </summary>
public sealed class TaskMain(TaskContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var inputs = new TaskInputs(context.Environment, context.CreateHttpClient, context.TimeProvider);
        var log = AgentLog.ForStep(context.Output, inputs);

        var settings = inputs.TryRead(out var errors);
        if (settings is null)
        {
            foreach (var error in errors)
            {
                log.Error($"studio-token: input {error.Input}: {error.Message}");
            }

            return 1;
        }

        var tokenDir = settings.TokenDir ?? DefaultTokenDir();
        if (tokenDir is null)
        {
            log.Error("studio-token: AGENT_TEMPDIRECTORY is not set (is this an Azure Pipelines agent?); set the tokenDir input");
            return 1;
        }

        if (settings.TokenDir is not null && TokenDirectoryWriter.ClaimProblem(tokenDir) is { } claimProblem)
        {
            log.Error($"studio-token: input tokenDir: {claimProblem}");
            return 1;
        }

        using var http = context.CreateHttpClient();
        DiscoveredClient? discovered = null;
        if (settings.Issuer is { } issuer)
        {
            try
            {
                var discovery = new MetadataDiscovery(http, context.TimeProvider, new RetryPolicy(), context.Random, log);
                discovered = await DiscoveredClient.DiscoverAsync(discovery, issuer, settings.Request, settings.GivenTokenUrl, settings.ChosenMethod, settings.RevocationUrl, cancellationToken);
            }
            catch (TokenConfigurationException ex)
            {
                log.Error($"studio-token: input {TaskInputs.InputName(ex.Setting)}: {ex.Message[(ex.Setting.Length + 2)..]}");
                return 1;
            }
            catch (TokenRequestException ex)
            {
                log.Error($"studio-token: discovery failed: {ex.Message}");
                return 3;
            }

            settings = settings with { Request = discovered.ApplyTo(settings.Request), RevocationUrl = discovered.RevocationUrl };
            log.Information("studio-token: " + discovered.Describe(issuer));
            if (settings.Revoke && discovered.RevocationNote is { } note)
            {
                log.Information("studio-token: " + note);
            }
        }

        ITokenSource source;
        if (settings.Entra is { } entra)
        {
            if (context.CreateEntraSource is null)
            {
                log.Error("studio-token: input provider: entra is not in this build of studio-token; install the task from its extension");
                return 1;
            }

            source = context.CreateEntraSource(entra.Settings, http, settings.RefreshPolicy, log.Redactor);
            log.Information($"studio-token: Entra ID tenant {entra.Settings.TenantId} at {entra.Settings.AuthorityHost.GetLeftPart(UriPartial.Authority)}, through MSAL");
        }
        else
        {
            source = new ClientCredentialsTokenSource(new TokenClient(http, context.TimeProvider, settings.RefreshPolicy, context.Random), settings.Request);
        }

        TokenResponse response;
        try
        {
            response = await new TokenAcquirer(source, new RetryPolicy(), context.TimeProvider, context.Random, log).AcquireAsync(cancellationToken);
        }
        catch (TokenRequestException ex)
        {
            log.Error($"studio-token: token request failed: {ex.Message}");
            return ex.Kind == TokenFailureKind.Rejected ? 2 : 3;
        }

        var token = response.Token;
        log.RegisterSecret(token.Value);
        foreach (var warning in response.Warnings)
        {
            log.Warning(warning);
        }

        var publisher = new TokenPublisher(new TokenDirectoryWriter(tokenDir), settings.Request.TokenUrl, context.TimeProvider);
        publisher.Prepare();
        log.Command(TaskState.TokenDir(publisher.Writer.Directory));
        if (discovered is not null)
        {
            log.Command(TaskState.Discovered(discovered));
        }
        publisher.Publish(token);

        log.Command(LoggingCommands.SetVariable("STUDIO_TOKEN", token.Value.Reveal(), isSecret: true));
        log.Command(LoggingCommands.SetVariable("STUDIO_TOKEN_FILE", publisher.Writer.TokenFile));
        log.Command(LoggingCommands.SetVariable("STUDIO_TOKEN_EXPIRES_AT", TokenMetadata.Rfc3339(token.ExpiresOn)));
        MakeLauncherExecutable();
        log.Command(LoggingCommands.PrependPath(context.ProgramDirectory));

        if (settings.Refresh)
        {
            var refresher = context.Launcher.Start(settings, publisher.Writer.Directory);
            foreach (var command in TaskState.Refresher(refresher))
            {
                log.Command(command);
            }

            log.Information($"studio-token: refresher (process {refresher.ProcessId}) keeps {publisher.Writer.TokenFile} fresh: refresh at {settings.RefreshPolicy.RefreshAt:0.##} of the lifetime, for at most {DurationText.Format(settings.MaxLifetime)}; the post-job step stops it");
        }
        else
        {
            log.Information($"studio-token: refresh is off; the token expires at {TokenMetadata.Rfc3339(token.ExpiresOn)}");
        }

        log.Information($"studio-token: wrote {publisher.Writer.TokenFile} (expires {TokenMetadata.Rfc3339(token.ExpiresOn)}); later steps read $(STUDIO_TOKEN_FILE) or run `studio-token get`");
        return 0;
    }

    /// <summary>A .vsix is a zip: the agent extracts the portable build's <c>studio-token</c> launcher without its executable bit.</summary>
    private void MakeLauncherExecutable()
    {
        var launcher = Path.Combine(context.ProgramDirectory, "studio-token");
        if (OperatingSystem.IsWindows() || !File.Exists(launcher))
        {
            return;
        }

        var mode = File.GetUnixFileMode(launcher);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(launcher, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private string? DefaultTokenDir() =>
        context.Environment("AGENT_TEMPDIRECTORY") is { Length: > 0 } temp
            ? Path.Combine(temp, "studio-token", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)))
            : null;
}
