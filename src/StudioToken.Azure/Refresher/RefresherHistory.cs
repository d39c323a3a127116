using StudioToken.Core.Refresh;

namespace StudioToken.Azure.Refresher;

/// <summary>What the refresher's log says it did: the post-job step reports it before the directory goes.</summary>
public sealed record RefresherHistory(int Refreshes, int Failures, IReadOnlyList<string> Lines, int OmittedLines)
{
    public const int MaxLines = 40;

    public static RefresherHistory? Read(string logFile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(logFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var refreshes = lines.Count(RefresherLogLines.IsRefresh);
        var failures = lines.Count(RefresherLogLines.IsFailure);
        var omitted = Math.Max(0, lines.Length - MaxLines);
        return new RefresherHistory(refreshes, failures, lines[omitted..], omitted);
    }
}
