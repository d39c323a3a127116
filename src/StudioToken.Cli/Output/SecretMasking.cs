using StudioToken.Core.Security;

namespace StudioToken.Cli.Output;

/// <summary>
/// Registers a value as a secret with the CI runner the process runs under, by the runner's own command on standard
/// error (both runners parse it), before the value could be printed. Outside a known runner it does nothing.
/// </summary>
internal abstract class SecretMasking
{
    public static SecretMasking ForEnvironment(Func<string, string?> environment)
    {
        if (string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new GitHubActionsMasking();
        }

        if (string.Equals(environment("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new AzurePipelinesMasking();
        }

        return new NoMasking();
    }

    public abstract string? CommandFor(Secret secret);

    public void Register(Secret secret, TextWriter error)
    {
        if (CommandFor(secret) is { } command)
        {
            error.WriteLine(command);
            error.Flush();
        }
    }

    private sealed class NoMasking : SecretMasking
    {
        public override string? CommandFor(Secret secret) => null;
    }

    /// <summary><c>::add-mask::</c>, data escaped as the runner unescapes it: <c>%</c>, CR and LF.</summary>
    private sealed class GitHubActionsMasking : SecretMasking
    {
        public override string CommandFor(Secret secret) =>
            "::add-mask::" + secret.Reveal().Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
    }

    /// <summary><c>##vso[task.setsecret]</c>, data escaped as azure-pipelines-task-lib does: <c>%</c> as <c>%AZP25</c>, CR and LF.</summary>
    private sealed class AzurePipelinesMasking : SecretMasking
    {
        public override string CommandFor(Secret secret) => Azure.Agent.LoggingCommands.SetSecret(secret.Reveal());
    }
}
