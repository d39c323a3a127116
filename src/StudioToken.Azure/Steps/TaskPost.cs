using StudioToken.Azure.Agent;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Refresher;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;

namespace StudioToken.Azure.Steps;

/// <summary>
/// The post-job step (runs whatever happened before): stop the refresher, report what it did, revoke the last token
/// where a revocation endpoint is known, delete the token directory. Every problem is a warning: cleanup never fails
/// the job.
/// </summary>
public sealed class TaskPost(TaskContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var inputs = new TaskInputs(context.Environment, context.CreateHttpClient, context.TimeProvider);
        var log = AgentLog.ForStep(context.Output, inputs);

        var tokenDir = TaskState.ReadTokenDir(context.Environment);
        if (tokenDir is null)
        {
            log.Information("studio-token: nothing to clean up (the main step stopped before writing a token)");
            return 0;
        }

        if (TaskState.ReadRefresher(context.Environment) is { } refresher)
        {
            try
            {
                log.Information($"studio-token: refresher (process {refresher.ProcessId}) {await context.Launcher.StopAsync(refresher, cancellationToken)}");
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                log.Warning($"studio-token: could not stop the refresher (process {refresher.ProcessId}): {ex.Message}; it stops by itself once its directory is deleted");
            }
        }

        var history = RefresherHistory.Read(Path.Combine(tokenDir, RefresherProcess.LogFileName));
        var snapshot = LastTokenRevocation.ReadLastToken(tokenDir, context.TimeProvider, log.Redactor, log);
        var settings = inputs.IsEntra ? null : inputs.TryRead(out _);
        var discovered = TaskState.ReadDiscovered(context.Environment);
        // Entra ID has no RFC 7009 endpoint (a token lives out its hour): nothing to try, nothing to warn about.
        var revocation = inputs.IsEntra ? "Entra ID has no revocation endpoint" : await new LastTokenRevocation(context.CreateHttpClient, context.TimeProvider, log)
            .RevokeAsync(settings?.Revoke ?? false, discovered is not null ? discovered.RevocationUrl : settings?.RevocationUrl, settings is null ? null : discovered?.ForRevocation(settings.Request) ?? settings.Request, snapshot, cancellationToken);

        try
        {
            new TokenDirectoryWriter(tokenDir).Delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Warning($"studio-token: could not delete {tokenDir}: {ex.Message}");
        }

        Report(log, history);
        log.Information($"studio-token: cleaned up {tokenDir} ({(snapshot is null ? "no token" : $"{snapshot.Metadata.Generation} tokens issued")}; revocation: {revocation})");
        return 0;
    }

    private static void Report(AgentLog log, RefresherHistory? history)
    {
        if (history is null)
        {
            return;
        }

        log.Information($"studio-token: the refresher refreshed {history.Refreshes} times; {history.Failures} refreshes failed{(history.OmittedLines > 0 ? $" (its first {history.OmittedLines} log lines left out)" : string.Empty)}:");
        foreach (var line in history.Lines)
        {
            log.Information("  " + line);
        }

        if (history.Failures > 0)
        {
            log.Warning($"studio-token: {history.Failures} refreshes failed during the job; see the refresher's log above");
        }
    }
}
