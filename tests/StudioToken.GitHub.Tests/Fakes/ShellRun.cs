using System.Diagnostics;

namespace StudioToken.GitHub.Tests.Fakes;

/// <summary>What a finished process left behind.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}; stdout '{StandardOutput}'; stderr '{StandardError}'";
}

/// <summary>Runs a script with <c>/bin/sh</c>, with CI markers scrubbed from the inherited environment so a test run inside CI behaves like one outside.</summary>
internal static class ShellRun
{
    private static readonly string[] Scrubbed = ["GITHUB_ACTIONS", "TF_BUILD", "STUDIO_TOKEN_FILE", "STUDIO_TOKEN_DIR"];

    /// <summary>Only a guard against a hung script; every script run here returns at once.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in Scrubbed)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"{script} {string.Join(' ', arguments)} did not finish within {Guard.TotalSeconds} s");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
