using StudioToken.Core;
using StudioToken.Core.Security;

namespace StudioToken.Cli.Output;

/// <summary>Reports to standard error, one line each, with every known secret redacted.</summary>
internal sealed class ConsoleLog(TextWriter error, Redactor redactor, string prefix = "studio-token: ") : ITokenLog
{
    private readonly Lock _gate = new();

    public void Information(string message) => Write(string.Empty, message);

    public void Warning(string message) => Write("warning: ", message);

    public void Error(string message) => Write("error: ", message);

    private void Write(string level, string message)
    {
        var line = redactor.Redact(message).ReplaceLineEndings(" ");
        lock (_gate)
        {
            error.WriteLine(prefix + level + line);
            error.Flush();
        }
    }
}
