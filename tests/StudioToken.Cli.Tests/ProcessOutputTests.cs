using System.Diagnostics;

namespace StudioToken.Cli.Tests;

/// <summary>
/// Runs the built <c>studio-token</c> as a separate process, as users do, and scans everything it printed for the
/// secret and for tokens where they do not belong.
/// </summary>
[Platform("Linux")]
public sealed class ProcessOutputTests : EndpointFixture
{
    private static readonly string CliAssembly = Path.Combine(AppContext.BaseDirectory, "studio-token.dll");

    [Test]
    public async Task No_run_prints_the_secret_and_only_fetch_raw_and_get_print_the_token()
    {
        var tokenDir = NewTempDirectory();
        var everything = new List<(string Name, ProcessResult Result)>();
        try
        {
            everything.Add(("fetch to dir", await RunAsync(["fetch", "--token-dir", tokenDir], Environment(("GITHUB_ACTIONS", "true")))));
            everything.Add(("fetch json", await RunAsync(["fetch", "--output", "json"], Environment())));
            everything.Add(("wrong secret", await RunAsync(["fetch"], Environment(("STUDIO_CLIENT_SECRET", ClientSecret + "x")))));
            everything.Add(("bad scope", await RunAsync(["fetch", "--scope", "nope"], Environment())));
            everything.Add(("get", await RunAsync(["get", "--token-dir", tokenDir], Environment(("GITHUB_ACTIONS", "true")))));
            everything.Add(("exec", await RunAsync(["exec", "--", "/bin/sh", "-c", "echo child ran"], Environment())));

            var token = await File.ReadAllTextAsync(Path.Combine(tokenDir, "token"));
            Assert.That(everything.Select(e => e.Result.ExitCode), Is.EqualTo(new[] { 0, 0, 2, 2, 0, 0 }), string.Join("\n", everything));
            foreach (var (name, result) in everything)
            {
                Testing.SecretScan.AssertAbsent(result.Output + result.Error, ClientSecret, $"the client secret ({name})");
            }

            Assert.That(everything[0].Result.Output, Is.Empty);
            Assert.That(everything[0].Result.Error, Does.Contain("::add-mask::" + token));
            Assert.That(everything[0].Result.Error.Replace("::add-mask::" + token, string.Empty, StringComparison.Ordinal), Does.Not.Contain(token));
            Assert.That(everything[4].Result.Output, Is.EqualTo(token));
            Assert.That(everything[4].Result.Error.Trim(), Is.EqualTo("::add-mask::" + token));
            Assert.That(everything[5].Result.Output.Trim(), Is.EqualTo("child ran"));
        }
        finally
        {
            if (Directory.Exists(tokenDir))
            {
                Directory.Delete(tokenDir, recursive: true);
            }
        }
    }

    private static async Task<ProcessResult> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("STUDIO_", StringComparison.Ordinal) || k is "GITHUB_ACTIONS" or "TF_BUILD").ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Assert.That(string.Join(" ", start.ArgumentList), Does.Not.Contain(ClientSecret), "the secret must never be on argv");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private sealed record ProcessResult(int ExitCode, string Output, string Error);
}
