using StudioToken.Core;
using StudioToken.Core.Security;

namespace StudioToken.Cli.Output;

/// <summary>Reports to standard error, one line each, with every known secret redacted.</summary>
internal sealed class ConsoleLog(TextWriter error, Redactor redactor) : ITokenLog
{
    private readonly Lock _gate = new();

    public void Information(string message) => Write("studio-token: ", message);

    public void Warning(string message) => Write("studio-token: warning: ", message);

    public void Error(string message) => Write("studio-token: error: ", message);

    private void Write(string prefix, string message)
    {
        var line = redactor.Redact(message).ReplaceLineEndings(" ");
        lock (_gate)
        {
            error.WriteLine(prefix + line);
            error.Flush();
        }
    }
}
