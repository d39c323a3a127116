using System.Text;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Azure.Refresher;

/// <summary>
/// The secrets the refresher needs, as they travel on its standard input: one line each, <c>NAME BASE64</c>, then an
/// empty line. Base64, because a PEM key spans lines. The names are the environment variables the refresher's
/// settings would read them from (<c>STUDIO_CLIENT_SECRET</c>, <c>STUDIO_PRIVATE_KEY</c>, <c>SYSTEM_ACCESSTOKEN</c>),
/// so the refresher answers them from memory instead, and no secret is ever in its environment or command line.
/// </summary>
public static class RefresherHandOver
{
    public const string ClientSecret = "STUDIO_CLIENT_SECRET";
    public const string PrivateKey = "STUDIO_PRIVATE_KEY";
    public const string AccessToken = AzureOidcTokenSource.AccessTokenVariable;
    public const string CertificatePassword = "STUDIO_CERTIFICATE_PASSWORD";

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal) { ClientSecret, PrivateKey, AccessToken, CertificatePassword };

    /// <summary>
    /// The secret the refresher authenticates with, by the name it reads it as; for an Entra certificate, whose file
    /// the refresher reads itself, only its password, if it has one.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Secret>> SecretsOf(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Entra is { CertificateFile: not null } entra)
        {
            return entra.CertificatePassword is { } password ? [new(CertificatePassword, password)] : [];
        }

        return [SecretOf(settings)];
    }

    /// <summary>The one secret the refresher authenticates with, by the name it reads it as.</summary>
    public static KeyValuePair<string, Secret> SecretOf(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Request.AuthMethod switch
        {
            ClientAuthMethod.PrivateKeyJwt => new(PrivateKey, settings.Request.ClientAssertionKey?.PrivateKeyPem ?? throw new InvalidOperationException("private_key_jwt settings carry a key")),
            ClientAuthMethod.AzureOidc => new(AccessToken, settings.AzureOidc?.AccessToken ?? throw new InvalidOperationException("azure_oidc settings carry the job's access token")),
            _ => new(ClientSecret, settings.Request.ClientSecret ?? throw new InvalidOperationException("secret methods' settings carry a client secret")),
        };
    }

    public static void Write(TextWriter writer, IEnumerable<KeyValuePair<string, Secret>> secrets)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var (name, secret) in secrets)
        {
            writer.Write(name);
            writer.Write(' ');
            writer.WriteLine(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret.Reveal())));
        }

        writer.WriteLine();
        writer.Flush();
    }

    /// <summary>Reads up to the empty line (or the end); a line that is not a known name and base64 is refused without quoting it.</summary>
    public static IReadOnlyDictionary<string, Secret> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var secrets = new Dictionary<string, Secret>(StringComparer.Ordinal);
        for (var number = 1; reader.ReadLine() is { Length: > 0 } line; number++)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var name = space > 0 ? line[..space] : string.Empty;
            if (!Names.Contains(name) || !TryDecode(line[(space + 1)..], out var value))
            {
                throw new FormatException($"line {number} of the refresher's standard input is not a secret it takes");
            }

            secrets[name] = new Secret(value);
        }

        return secrets;
    }

    private static bool TryDecode(string base64, out string value)
    {
        var bytes = new byte[base64.Length];
        if (Convert.TryFromBase64String(base64, bytes, out var length) && length > 0)
        {
            value = Encoding.UTF8.GetString(bytes, 0, length);
            return true;
        }

        value = string.Empty;
        return false;
    }
}
