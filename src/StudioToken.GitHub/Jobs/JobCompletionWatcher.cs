using StudioToken.Core;

namespace StudioToken.GitHub.Jobs;

/// <summary>
/// Stops the refresher when the job it serves has completed, for the cases the runner's cleanup does not reach (a
/// runner that died, a temp directory that was kept). Polls gently; an API that cannot answer only costs a warning.
/// </summary>
public sealed class JobCompletionWatcher(IJobStatusSource source, TimeProvider timeProvider, ITokenLog log)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>Returns when the job has completed (true) or <paramref name="cancellationToken"/> fires (false).</summary>
    public async Task<bool> WaitForCompletionAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            try
            {
                await Task.Delay(interval, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var (state, problem) = await source.GetStateAsync(cancellationToken);
            switch (state)
            {
                case JobState.Completed:
                    log.Information("the job has completed (GitHub API); stopping");
                    return true;
                case JobState.Unknown when !warned:
                    warned = true;
                    log.Warning($"cannot tell whether the job has completed: {problem}; the refresher still stops when its directory is deleted or at max-lifetime");
                    break;
            }
        }
    }
}
