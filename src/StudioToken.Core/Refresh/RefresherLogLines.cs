namespace StudioToken.Core.Refresh;

/// <summary>
/// How <see cref="Refresher"/> words its reports, so a post step reading a background refresher's log (a container's
/// or a file) counts what it did from the same text the refresher writes. Those logs are <c>studio-token refresh</c>'s,
/// whose warnings carry a <c>warning: </c> prefix; a failure is only counted as such a warning.
/// </summary>
public static class RefresherLogLines
{
    public const string Refreshed = "refreshed: generation ";
    public const string Failed = "refresh failed: ";

    public static bool IsRefresh(string line) => line.Contains(Refreshed, StringComparison.Ordinal);

    public static bool IsFailure(string line) => line.Contains("warning: " + Failed, StringComparison.Ordinal);
}
