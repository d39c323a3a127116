namespace StudioToken.GitHub.Jobs;

/// <summary>What the GitHub API says of the job a refresher serves.</summary>
public enum JobState
{
    Running,
    Completed,

    /// <summary>The API could not say (no permission, unreachable, job not found): keep refreshing.</summary>
    Unknown,
}

/// <summary>Where the job's state comes from: the seam between the watcher's timing and the GitHub API.</summary>
public interface IJobStatusSource
{
    Task<(JobState State, string? Problem)> GetStateAsync(CancellationToken cancellationToken);
}
