namespace StudioToken.Cli;

/// <summary>The exit codes of the contract; scripts branch on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int Rejected = 2;
    public const int Unavailable = 3;
    public const int NoValidToken = 4;
}
