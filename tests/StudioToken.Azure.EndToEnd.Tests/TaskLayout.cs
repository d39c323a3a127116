namespace StudioToken.Azure.EndToEnd.Tests;

/// <summary>Where the staged task and the repository are.</summary>
public static class TaskLayout
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A task folder as the agent extracts it (task.json, main.js, post.js, bin/), from STUDIO_TOKEN_AZURE_TASK_DIR.</summary>
    public static string? TaskDirectory => Environment.GetEnvironmentVariable("STUDIO_TOKEN_AZURE_TASK_DIR") is { Length: > 0 } dir ? dir : null;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Actions.sln) above the test assembly");
    }
}
