using System.Formats.Tar;
using System.Text;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.GitHub.Inputs;
using StudioToken.GitHub.Oidc;

namespace StudioToken.GitHub.Docker;

/// <summary>One secret handed to the refresher container as a file; its configuration names only the path.</summary>
/// <param name="FileName">The file's name in <see cref="RefresherHandover.Directory"/>.</param>
/// <param name="PathVariable">The refresher's environment variable that holds the file's path, never the value.</param>
/// <param name="Variable">What the refresher knows the value by once it has read the file.</param>
public sealed record HandedOverSecret(string FileName, string PathVariable, string Variable, Secret Value);

/// <summary>
/// How secrets reach the refresher container without entering its configuration (<c>docker inspect</c> shows env,
/// command and labels): the action copies them as files into the created container before it starts, and the refresher
/// reads each once, deletes it, and knows its value by the variable it would have come in otherwise.
/// </summary>
public static class RefresherHandover
{
    public const string Directory = "/run/studio-token";

    /// <summary>Read by the refresher's job-completion watcher, not by the token request.</summary>
    public const string GitHubTokenVariable = "STUDIO_GITHUB_TOKEN";

    private static readonly (string FileName, string PathVariable, string Variable)[] Kinds =
    [
        ("client-secret", "STUDIO_CLIENT_SECRET_FILE", "STUDIO_CLIENT_SECRET"),
        ("private-key", "STUDIO_PRIVATE_KEY_FILE", "STUDIO_PRIVATE_KEY"),
        // The URL holds no credential (the bearer does), but it names the job's plan and job: kept out of sight too.
        ("id-token-request-url", "STUDIO_ID_TOKEN_REQUEST_URL_FILE", GitHubIdTokenSource.RequestUrlVariable),
        ("id-token-request-token", "STUDIO_ID_TOKEN_REQUEST_TOKEN_FILE", GitHubIdTokenSource.RequestTokenVariable),
        ("github-token", "STUDIO_GITHUB_TOKEN_FILE", GitHubTokenVariable),
    ];

    /// <summary>
    /// The secrets the refresher needs for <paramref name="settings"/>: the credential of its method (for github_oidc
    /// the runner's ID-token request URL and token, so that it asks for a new ID token at every refresh) and the
    /// GitHub token of its job watcher.
    /// </summary>
    public static IReadOnlyList<HandedOverSecret> SecretsFor(ActionSettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var request = settings.Request;
        var values = new Dictionary<string, Secret?>
        {
            ["STUDIO_CLIENT_SECRET"] = request.ClientSecret,
            ["STUDIO_PRIVATE_KEY"] = request.AuthMethod == ClientAuthMethod.PrivateKeyJwt ? request.ClientAssertionKey?.PrivateKeyPem : null,
            [GitHubIdTokenSource.RequestUrlVariable] = Runner(GitHubIdTokenSource.RequestUrlVariable),
            [GitHubIdTokenSource.RequestTokenVariable] = Runner(GitHubIdTokenSource.RequestTokenVariable),
            [GitHubTokenVariable] = settings.GitHubToken,
        };
        return [.. Kinds
            .Where(kind => values[kind.Variable] is not null)
            .Select(kind => new HandedOverSecret(kind.FileName, kind.PathVariable, kind.Variable, values[kind.Variable]!))];

        Secret? Runner(string name) =>
            request.AuthMethod == ClientAuthMethod.GitHubOidc && environment(name) is { Length: > 0 } value ? new Secret(value) : null;
    }

    /// <summary>The refresher's environment variables that point at the files: paths only.</summary>
    public static IEnumerable<KeyValuePair<string, string>> PathVariables(IEnumerable<HandedOverSecret> secrets) =>
        secrets.Select(secret => new KeyValuePair<string, string>(secret.PathVariable, $"{Directory}/{secret.FileName}"));

    /// <summary>A tar archive of <see cref="Directory"/> (0700) and its files (0400), to be extracted at <c>/run</c>.</summary>
    public static byte[] Archive(IEnumerable<HandedOverSecret> secrets)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directoryName = Path.GetFileName(Directory) + "/";
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directoryName) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute });
            foreach (var secret in secrets)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, directoryName + secret.FileName)
                {
                    Mode = UnixFileMode.UserRead,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(secret.Value.Reveal())),
                });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The refresher's side: <paramref name="environment"/> with each handed-over file read once, deleted, and its value
    /// answered under its variable; the path variables then read as unset, so nothing reads a file that is gone.
    /// </summary>
    public static Func<string, string?> Receive(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var received = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (_, pathVariable, variable) in Kinds)
        {
            received[pathVariable] = null;
            if (Take(environment(pathVariable)) is { } value)
            {
                received[variable] = value;
            }
        }

        return name => received.TryGetValue(name, out var value) ? value : environment(name);
    }

    private static string? Take(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        // A trailing newline is never part of a secret; a PEM key without one is still a PEM key.
        var value = File.ReadAllText(path).TrimEnd('\r', '\n');
        File.Delete(path);
        return value.Length == 0 ? null : value;
    }
}
