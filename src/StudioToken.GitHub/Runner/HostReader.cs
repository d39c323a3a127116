using System.Runtime.Versioning;
using StudioToken.Core.Storage;

namespace StudioToken.GitHub.Runner;

/// <summary>
/// Installs the POSIX sh <c>studio-token</c> reader into the token directory's <c>bin/</c>, for later steps on the
/// runner host: a native binary from the image might need a newer glibc than the host has, sh never does.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class HostReader
{
    public const string FileName = "studio-token";

    public static string Install(string tokenDirectory, FileOwner? owner)
    {
        var bin = Path.Combine(tokenDirectory, "bin");
        Directory.CreateDirectory(bin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(bin, FileName);
        using (var script = typeof(HostReader).Assembly.GetManifestResourceStream("studio-token.sh") ?? throw new InvalidOperationException("the host reader script is missing from the build"))
        using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute }))
        {
            script.CopyTo(file);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is { } o)
        {
            Core.Storage.FileOwnership.Change(bin, o);
            Core.Storage.FileOwnership.Change(path, o);
        }

        return bin;
    }
}
