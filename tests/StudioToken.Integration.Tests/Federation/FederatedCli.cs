using System.Buffers.Text;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Testing;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>The CLI run in-process as a CI job would run it, keeping the token in a directory so no output holds it.</summary>
public static class FederatedCli
{
    /// <summary>Runs <c>fetch --token-dir</c> with <paramref name="arguments"/>; the token is what the directory got, or empty.</summary>
    public static async Task<(CliRun Run, string Token)> FetchAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "studio-token-integration", Guid.NewGuid().ToString("N"));
        try
        {
            var run = await CliHarness.RunAsync(["fetch", "--token-dir", directory, "--output", "json", .. arguments], environment);
            var tokenFile = Path.Combine(directory, "token");
            return (run, File.Exists(tokenFile) ? await File.ReadAllTextAsync(tokenFile) : string.Empty);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>The <c>sub</c> of a JWT access token: whom the server issued it to.</summary>
    public static string? Subject(string jwt) =>
        (string?)JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[1])))["sub"];

    /// <summary>The one line a refusal prints on standard error.</summary>
    public static string OneLineError(CliRun run)
    {
        var lines = run.Error.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), run.ToString());
        return lines[0];
    }
}
