using StudioToken.Azure.Inputs;

namespace StudioToken.Azure.Refresher;

/// <summary>A started refresher process: its id, and its start time to tell it from a later process given the same id.</summary>
public sealed record RefresherHandle(int ProcessId, DateTimeOffset StartedAt);

/// <summary>Starts and stops the background refresher; the seam between the task's steps and real processes.</summary>
public interface IRefresherLauncher
{
    RefresherHandle Start(TaskSettings settings, string tokenDir);

    /// <summary>Stops the refresher and says how, in a few words; never throws for a process that is already gone.</summary>
    Task<string> StopAsync(RefresherHandle handle, CancellationToken cancellationToken);
}
