using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.OAuth;

/// <summary>
/// What an authorization server's metadata (RFC 8414, or OpenID Connect Discovery 1.0) tells a client-credentials
/// client: where to ask for and revoke tokens, and how it may authenticate there. Read as strictly as a token
/// response, since it decides where the client secret goes.
/// </summary>
public sealed record ServerMetadata(Uri Issuer, Uri TokenEndpoint, Uri? RevocationEndpoint, IReadOnlyList<string> TokenEndpointAuthMethods, Uri DocumentUrl)
{
    /// <summary>RFC 8414 §2: when the document lists no methods, the server supports client_secret_basic.</summary>
    public static readonly IReadOnlyList<string> DefaultTokenEndpointAuthMethods = [ClientAuthMethodNames.ClientSecretBasic];

    /// <summary>The document's <c>revocation_endpoint_auth_methods_supported</c>; null when it does not say.</summary>
    public IReadOnlyList<string>? RevocationEndpointAuthMethods { get; init; }

    /// <summary>The document's <c>grant_types_supported</c>; null when it does not say.</summary>
    public IReadOnlyList<string>? GrantTypes { get; init; }

    /// <summary>Checks the document read from <paramref name="documentUrl"/> for <paramref name="issuer"/>; throws a one-line <see cref="TokenFailureKind.BadResponse"/> failure.</summary>
    public static ServerMetadata FromDocument(JObject document, Uri issuer, Uri documentUrl, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(issuer);

        // RFC 8414 §3.3 / OpenID Discovery §4.3: a document for another issuer is an attack or a mistake, never a hint.
        var named = document["issuer"] is JValue { Type: JTokenType.String } text ? (string?)text : null;
        if (string.IsNullOrEmpty(named))
        {
            throw Bad(documentUrl, "has no issuer; it is not authorization server metadata");
        }

        if (!IsSameIssuer(named, issuer))
        {
            throw Bad(documentUrl, $"names the issuer '{TokenResponseParser.OneLine(named, 200)}', not '{issuer.AbsoluteUri}', and RFC 8414 requires them to be identical; check the issuer");
        }

        var tokenEndpoint = Endpoint(document, "token_endpoint", documentUrl, allowInsecureHttp)
            ?? throw Bad(documentUrl, "has no token_endpoint; check the issuer (the server may not issue tokens to clients)");
        var revocationEndpoint = Endpoint(document, "revocation_endpoint", documentUrl, allowInsecureHttp);
        return new ServerMetadata(issuer, tokenEndpoint, revocationEndpoint, Names(document, "token_endpoint_auth_methods_supported", documentUrl) ?? [.. DefaultTokenEndpointAuthMethods], documentUrl)
        {
            RevocationEndpointAuthMethods = Names(document, "revocation_endpoint_auth_methods_supported", documentUrl),
            GrantTypes = Names(document, "grant_types_supported", documentUrl),
        };
    }

    /// <summary>
    /// Identical after URL normalisation only (scheme and host case, default port, an empty path as "/"), so
    /// <c>https://id.example.com</c> matches a server naming <c>https://id.example.com/</c>; a trailing slash after a
    /// path still counts.
    /// </summary>
    private static bool IsSameIssuer(string named, Uri issuer) =>
        Uri.TryCreate(named, UriKind.Absolute, out var namedUri) && string.Equals(namedUri.AbsoluteUri, issuer.AbsoluteUri, StringComparison.Ordinal);

    private static Uri? Endpoint(JObject document, string name, Uri documentUrl, bool allowInsecureHttp)
    {
        switch (document[name])
        {
            case null or JValue { Type: JTokenType.Null }:
                return null;
            case JValue { Type: JTokenType.String } value when Uri.TryCreate((string?)value, UriKind.Absolute, out var url):
                return EndpointUrl.Problem(url, allowInsecureHttp) is { } problem
                    ? throw Bad(documentUrl, $"gives {name} '{TokenResponseParser.OneLine(url.OriginalString, 200)}', which {problem}")
                    : url;
            case var other:
                throw Bad(documentUrl, $"gives {name} as {TokenResponseParser.OneLine(other.ToString(Formatting.None), 80)}; expected an absolute URL");
        }
    }

    /// <summary>An array of names; null when the document leaves it out.</summary>
    private static List<string>? Names(JObject document, string name, Uri documentUrl)
    {
        switch (document[name])
        {
            case null or JValue { Type: JTokenType.Null }:
                return null;
            case JArray array when array.All(item => item is JValue { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace((string?)value)):
                return [.. array.Select(item => (string)item!)];
            case var other:
                throw Bad(documentUrl, $"gives {name} as {TokenResponseParser.OneLine(other.ToString(Formatting.None), 80)}; expected an array of names");
        }
    }

    private static TokenRequestException Bad(Uri documentUrl, string problem) =>
        new(TokenFailureKind.BadResponse, $"authorization server metadata at {documentUrl.AbsoluteUri} {problem}");
}
