using System.Runtime.Versioning;
using StudioToken.Bench;

// Linux only: it reads /proc and sets Unix file modes.
[assembly: SupportedOSPlatform("linux")]

// Measures studio-token against cat and curl, side by side in one run; see bench/run.sh, which builds everything,
// starts the OpenIddict test server and calls this with its URL.

var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 1;
}

try
{
    var markdown = await Benchmarks.RunAsync(options, Console.Error);
    if (options.MarkdownFile is not null)
    {
        await File.WriteAllTextAsync(options.MarkdownFile, markdown);
    }

    Console.Out.Write(markdown);
    return 0;
}
catch (BenchmarkFailedException ex)
{
    Console.Error.WriteLine($"benchmark FAILED: {ex.Message}");
    return 2;
}
