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

    /// <summary>
    /// Masks the secret inputs (client secret, private key) first thing in a step, before any other line could show
    /// them. The runner masks a multi-line value whole and line by line, so a PEM key's lines are masked too.
    /// </summary>
    public void MaskSecretInputs(IEnumerable<Secret> secrets)
    {
        foreach (var secret in secrets)
        {
            redactor.Add(secret);
            Command(WorkflowCommands.AddMask(secret));
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
