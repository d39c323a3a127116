using System.Security.Cryptography;
using System.Text;

namespace StudioToken.GitHub.Runner;

/// <summary>
/// Appends to the runner's file commands (<c>GITHUB_ENV</c>, <c>GITHUB_OUTPUT</c>, <c>GITHUB_STATE</c>) in the heredoc
/// form with a random delimiter, so a value can never be read as another variable, whatever it contains.
/// </summary>
public sealed class FileCommandWriter(string path)
{
    /// <summary>The runner refuses to let a step set this one; refusing here gives a clear error instead.</summary>
    private static readonly HashSet<string> BlockedNames = new(StringComparer.OrdinalIgnoreCase) { "NODE_OPTIONS" };

    public string Path { get; } = path;

    public void Set(string name, string value)
    {
        ValidateName(name);
        var delimiter = "ghadelimiter_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (value.Contains(delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the value of {name} contains the heredoc delimiter", nameof(value));
        }

        var text = new StringBuilder()
            .Append(name).Append("<<").Append(delimiter).Append('\n')
            .Append(value).Append('\n')
            .Append(delimiter).Append('\n')
            .ToString();
        File.AppendAllText(Path, text, new UTF8Encoding(false));
    }

    /// <summary>One line for <c>GITHUB_PATH</c>: a directory to prepend to <c>PATH</c> in later steps.</summary>
    public static void AddPath(string pathFile, string directory)
    {
        if (directory.Contains('\n', StringComparison.Ordinal) || directory.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("a PATH entry cannot contain a line break", nameof(directory));
        }

        File.AppendAllText(pathFile, directory + "\n", new UTF8Encoding(false));
    }

    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            throw new ArgumentException($"'{name}' is not a valid name: use letters, digits, '_' and '-'", nameof(name));
        }

        if (BlockedNames.Contains(name))
        {
            throw new ArgumentException($"{name} cannot be set by a step", nameof(name));
        }
    }
}
