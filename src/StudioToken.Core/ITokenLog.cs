namespace StudioToken.Core;

/// <summary>Where the engine reports what a user should see (retries, rotations, warnings). Messages never hold secrets.</summary>
public interface ITokenLog
{
    void Information(string message);

    void Warning(string message);
}

/// <summary>A log that drops everything, for callers that report outcomes themselves.</summary>
public sealed class SilentTokenLog : ITokenLog
{
    public static readonly SilentTokenLog Instance = new();

    public void Information(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
