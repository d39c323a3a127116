using StudioToken.Core;
using StudioToken.Core.Security;

namespace StudioToken.GitHub.Runner;

/// <summary>The engine's reports as step log lines; warnings become <c>::warning::</c> annotations.</summary>
public sealed class WorkflowLog(TextWriter output, Redactor redactor) : ITokenLog
{
    private readonly Lock _gate = new();

    public void Information(string message) => Write(WorkflowCommands.EscapeData(redactor.Redact(message)));

    public void Warning(string message) => Write(WorkflowCommands.Warning(redactor.Redact(message)));

    public void Error(string title, string message) => Write(WorkflowCommands.Error(title, redactor.Redact(message)));

    public void Command(string line) => Write(line);

    private void Write(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
