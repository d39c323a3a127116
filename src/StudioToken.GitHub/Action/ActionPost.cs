using System.Text;
using StudioToken.Core.OAuth;
using StudioToken.Core.Refresh;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Inputs;
using StudioToken.GitHub.Runner;

namespace StudioToken.GitHub.Action;

/// <summary>
/// The post step (runs even when main failed): stop and remove the refresher, revoke the last token where a
/// revocation endpoint is known, delete the token directory, report the refresh history. Every problem here is a
/// warning: cleanup never fails the job.
/// </summary>
public sealed class ActionPost(ActionContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var redactor = new Redactor();
        var log = new WorkflowLog(context.Output, redactor);
        // The revocation authenticates as main did: the same inputs, and for github_oidc a new ID token.
        using var http = context.CreateHttpClient();
        var inputs = new ActionInputs(context.Environment, http, context.TimeProvider);
        log.MaskSecretInputs(inputs.Secrets());
        redactor.Add(inputs.IdTokenRequestToken);

        var settings = inputs.TryRead(out _);
        var state = ActionState.FromEnvironment(context.Environment);
        if (state is null)
        {
            log.Information("studio-token: nothing to clean up (the main step stopped before writing a token)");
            return 0;
        }

        var failures = await StopRefresherAsync(state, log, cancellationToken);

        var writer = new TokenDirectoryWriter(state.TokenDir);
        var snapshot = LastTokenRevocation.ReadLastToken(state.TokenDir, context.TimeProvider, redactor, log);
        var revocation = await new LastTokenRevocation(context.CreateHttpClient, context.TimeProvider, log)
            .RevokeAsync(settings?.Revoke ?? false, state.Discovered is { } discovered ? discovered.RevocationUrl : settings?.RevocationUrl, settings is null ? null : state.Discovered?.ForRevocation(settings.Request) ?? settings.Request, snapshot, cancellationToken);

        try
        {
            writer.Delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Warning($"studio-token: could not delete {state.HostTokenDir}: {ex.Message}");
        }

        if ((settings?.Summary ?? true) && context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryFile)
        {
            File.AppendAllText(summaryFile, JobSummary.ForPost(snapshot?.Metadata, failures, revocation), new UTF8Encoding(false));
        }

        log.Information($"studio-token: cleaned up {state.HostTokenDir} ({(snapshot is null ? "no token" : $"{snapshot.Metadata.Generation} tokens issued")}; revocation: {revocation})");
        return 0;
    }

    /// <summary>Stops and removes the refresher; returns how many refreshes failed, from its log (null if unknown).</summary>
    private async Task<int?> StopRefresherAsync(ActionState state, WorkflowLog log, CancellationToken cancellationToken)
    {
        if (state.RefresherId is null)
        {
            return null;
        }

        if (!DockerEngine.IsAvailable(context.DockerSocket))
        {
            log.Warning($"studio-token: no Docker socket to stop refresher {state.RefresherId[..12]}; it stops by itself when the token directory is deleted");
            return null;
        }

        using var docker = new DockerEngine(context.DockerSocket);
        int? failures = null;
        try
        {
            // Read before stopping: the container removes itself (and its log) once it has stopped.
            var refresherLog = await docker.GetLogsAsync(state.RefresherId, cancellationToken);
            failures = refresherLog.Split('\n').Count(RefresherLogLines.IsFailure);
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException)
        {
            log.Information($"studio-token: the refresher's log could not be read ({ex.Message})");
        }

        try
        {
            await docker.StopContainerAsync(state.RefresherId, TimeSpan.FromSeconds(10), cancellationToken);
            await docker.RemoveContainerAsync(state.RefresherId, cancellationToken);
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException)
        {
            log.Warning($"studio-token: could not stop refresher {state.RefresherId[..12]}: {ex.Message}");
        }

        return failures;
    }
}
