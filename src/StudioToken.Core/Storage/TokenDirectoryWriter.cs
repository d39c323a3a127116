using System.Security.Cryptography;
using System.Text;
using StudioToken.Core.Internal;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Storage;

/// <summary>
/// Writes the token directory as the contract says: directory 0700, files 0600 from their first byte, each file
/// written to a temporary name in the same directory, flushed to disk and renamed over the old one, <c>token</c>
/// before <c>token.json</c>. A reader therefore never sees a torn or empty token.
/// </summary>
public sealed class TokenDirectoryWriter
{
    public const string TokenFileName = "token";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileOwner? _owner;

    public TokenDirectoryWriter(string directory, FileOwner? owner = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        _owner = owner;
    }

    public string Directory { get; }

    public string TokenFile => Path.Combine(Directory, TokenFileName);

    public string MetadataFile => Path.Combine(Directory, TokenMetadata.FileName);

    /// <summary>True while the directory is still there; the refresher stops when someone deletes it.</summary>
    public bool Exists => System.IO.Directory.Exists(Directory);

    /// <summary>Creates the directory (0700, owned by the owner) or checks an existing one is a real, private directory.</summary>
    public void Prepare()
    {
        var info = new DirectoryInfo(Directory);
        if (info.Exists || info.LinkTarget is not null)
        {
            if (info.LinkTarget is not null)
            {
                throw new IOException($"token directory {Directory} is a symbolic link; refusing to write through it");
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Directory, DirectoryMode);
            }
        }
        else if (File.Exists(Directory))
        {
            throw new IOException($"token directory {Directory} exists as a file; choose another --token-dir");
        }
        else if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        }

        if (_owner is { } owner)
        {
            UnixFileSystem.ChangeOwner(Directory, owner.UserId, owner.GroupId);
        }
    }

    /// <summary>Replaces <c>token</c>, then <c>token.json</c>.</summary>
    public void Write(AccessToken token, TokenMetadata metadata)
    {
        ReplaceFile(TokenFileName, Encoding.UTF8.GetBytes(token.Value.Reveal()));
        WriteMetadata(metadata);
    }

    /// <summary>Replaces only <c>token.json</c>, e.g. to record <c>last_error</c> while the current token stays.</summary>
    public void WriteMetadata(TokenMetadata metadata) =>
        ReplaceFile(TokenMetadata.FileName, Encoding.UTF8.GetBytes(metadata.ToJson()));

    /// <summary>
    /// Why a directory the user named cannot be the token directory, or null: the post steps delete the token
    /// directory with everything in it, so it must be new or empty, never a workspace that holds other files.
    /// </summary>
    public static string? ClaimProblem(string directory) =>
        System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any()
            ? $"{directory} already exists and is not empty; name a new directory (it is deleted with its contents when the job's cleanup runs)"
            : null;

    /// <summary>Deletes the directory and what is in it; missing is fine.</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory) && new DirectoryInfo(Directory).LinkTarget is null)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void ReplaceFile(string name, byte[] content)
    {
        var target = Path.Combine(Directory, name);
        if (new FileInfo(target).LinkTarget is not null)
        {
            throw new IOException($"{target} is a symbolic link; refusing to replace it");
        }

        var temporary = Path.Combine(Directory, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew, // O_CREAT|O_EXCL: never opens an existing file or follows a planted link
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFileMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (_owner is { } owner)
            {
                UnixFileSystem.ChangeOwner(temporary, owner.UserId, owner.GroupId);
            }

            File.Move(temporary, target, overwrite: true);
            UnixFileSystem.SyncDirectory(Directory);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
