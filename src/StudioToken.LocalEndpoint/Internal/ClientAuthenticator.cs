using System.Security.Cryptography;
using System.Text;

namespace StudioToken.LocalEndpoint.Internal;

/// <summary>Checks client_secret_basic or client_secret_post credentials (RFC 6749 §2.3.1) against the one known client.</summary>
internal sealed class ClientAuthenticator(string clientId, string clientSecret)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(clientSecret);

    /// <summary>The authenticated client id, or null when the credentials are missing, ambiguous or wrong.</summary>
    public string? Authenticate(string? authorization, IReadOnlyDictionary<string, string> form)
    {
        form.TryGetValue("client_id", out var formId);
        var hasFormSecret = form.TryGetValue("client_secret", out var formSecret);

        string? id, secret;
        if (authorization is not null)
        {
            // RFC 6749 §2.3: a client must not use more than one authentication method in a request.
            if (hasFormSecret || !TryReadBasic(authorization, out id, out secret) || (formId is not null && formId != id))
            {
                return null;
            }
        }
        else
        {
            (id, secret) = (formId, formSecret);
        }

        if (id is null || secret is null)
        {
            return null;
        }

        // Evaluate both so the time taken does not say which one was wrong.
        var idMatches = string.Equals(id, clientId, StringComparison.Ordinal);
        var secretMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), _secret);
        return idMatches & secretMatches ? id : null;
    }

    private static bool TryReadBasic(string authorization, out string? id, out string? secret)
    {
        id = secret = null;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !authorization.AsSpan(0, space).Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(authorization[(space + 1)..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var credentials = Encoding.UTF8.GetString(decoded);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        // RFC 6749 §2.3.1: id and secret are form-url-encoded before they are joined and base64-encoded.
        id = FormUrlEncoded.Decode(credentials[..colon]);
        secret = FormUrlEncoded.Decode(credentials[(colon + 1)..]);
        return true;
    }
}
