using StudioToken.Core;
using StudioToken.Core.Security;

namespace StudioToken.Azure.Agent;

/// <summary>The engine's reports as task log lines; warnings and errors become issues on the timeline.</summary>
public sealed class AgentLog(TextWriter output, Redactor redactor) : ITokenLog
{
    public Redactor Redactor => redactor;

    private readonly Lock _gate = new();

    public void Information(string message) => Write(LoggingCommands.Neutralize(redactor.Redact(message)));

    public void Warning(string message) => Write(LoggingCommands.LogIssue("warning", redactor.Redact(message)));

    public void Error(string message) => Write(LoggingCommands.LogIssue("error", redactor.Redact(message)));

    public void Command(string line) => Write(line);

    /// <summary>A step's log, with the task's secret inputs registered before anything else is printed.</summary>
    public static AgentLog ForStep(TextWriter output, Inputs.TaskInputs inputs)
    {
        var log = new AgentLog(output, new Redactor());
        foreach (var secret in inputs.Secrets())
        {
            log.RegisterSecret(secret);
        }

        return log;
    }

    /// <summary>Registers a secret with the agent before anything could print it, and with our own redaction.</summary>
    public void RegisterSecret(Secret secret)
    {
        redactor.Add(secret);
        Command(LoggingCommands.SetSecret(secret.Reveal()));
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
