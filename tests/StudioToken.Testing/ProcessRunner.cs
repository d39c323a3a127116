using System.Diagnostics;

namespace StudioToken.Testing;

/// <summary>What a process printed and how it ended, with the argv it was given (scanned for secrets too).</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error, string CommandLine)
{
    public string All => $"{CommandLine}\n{Output}\n{Error}";

    public override string ToString() => $"$ {CommandLine}\nexit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

public static class ProcessRunner
{
    /// <summary>Runs a program to its end, with <paramref name="environment"/> added to the inherited environment.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new ProcessResult(process.ExitCode, await output, await error, fileName + " " + string.Join(' ', start.ArgumentList));
    }

    public static Task<ProcessResult> DockerAsync(params string[] arguments) => RunAsync("docker", arguments);
}
