using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.Core.OAuth;

/// <summary>
/// What an issuer's metadata decides for one client, once, when a host starts: where to ask for tokens, how to
/// authenticate there, and where and how to revoke. Every later process (the refresher, the post step) is handed these
/// values instead of discovering again, so they all talk to the endpoint the first token came from.
/// </summary>
/// <param name="RevocationAuthMethod">How to authenticate at <paramref name="RevocationUrl"/>; RFC 8414 lets it differ from the token endpoint's.</param>
/// <param name="RevocationNote">Why nothing will be revoked although the server names a revocation endpoint; null otherwise.</param>
public sealed record DiscoveredClient(Uri TokenUrl, ClientAuthMethod AuthMethod, Uri? RevocationUrl, ClientAuthMethod RevocationAuthMethod, string? RevocationNote)
{
    /// <summary>
    /// Applies <paramref name="metadata"/> to <paramref name="request"/> (whose token URL may be only the issuer standing
    /// in for it). A token or revocation URL the user gave wins over the discovered one (a gateway in front of the
    /// server, say); the metadata still says how to authenticate. Throws <see cref="TokenConfigurationException"/> when
    /// the server supports neither the method chosen nor any the credentials allow, or not the grant.
    /// </summary>
    /// <param name="chosenMethod">The method the user named; null to pick one the server lists.</param>
    public static DiscoveredClient Decide(ServerMetadata metadata, TokenRequest request, Uri? givenTokenUrl, ClientAuthMethod? chosenMethod, Uri? givenRevocationUrl)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(request);

        var usable = ClientAuthMethodChoice.UsableWith(request);
        ClientAuthMethod method;
        if (request.Grant == TokenGrant.TokenExchange)
        {
            // The ID token is the subject, not a client credential: a public client authenticates with nothing, so
            // what matters is whether the server exchanges tokens at all.
            if (metadata.GrantTypes is { } grants && !grants.Contains(TokenGrantNames.TokenExchangeGrantType, StringComparer.Ordinal))
            {
                throw new TokenConfigurationException("grant", $"{metadata.Issuer.AbsoluteUri} does not list {TokenGrantNames.TokenExchangeGrantType} in grant_types_supported; use grant client_credentials, or enable token exchange on the server");
            }

            method = request.AuthMethod;
        }
        else
        {
            method = ClientAuthMethodChoice.Choose(metadata.TokenEndpointAuthMethods, chosenMethod, usable, metadata.Issuer);
        }

        var revocationUrl = givenRevocationUrl ?? metadata.RevocationEndpoint;
        var revocationMethod = method;
        string? note = null;

        // RFC 8414 §2 would read a missing list as client_secret_basic alone; servers that list private_key_jwt for
        // their token endpoint and leave this out accept it at revocation too, so a missing list means "as for tokens".
        if (revocationUrl is not null && givenRevocationUrl is null && request.Grant != TokenGrant.TokenExchange
            && metadata.RevocationEndpointAuthMethods is { } revocationMethods
            && !revocationMethods.Contains(method.ToServerMethodName(), StringComparer.OrdinalIgnoreCase))
        {
            var alternative = usable.FirstOrDefault(candidate => revocationMethods.Contains(candidate.ToServerMethodName(), StringComparer.OrdinalIgnoreCase), method);
            if (alternative != method)
            {
                revocationMethod = alternative;
            }
            else
            {
                note = $"{metadata.Issuer.AbsoluteUri} does not accept {method.ToWireName()} at its revocation endpoint (it lists {TokenResponseParser.OneLine(string.Join(", ", revocationMethods), 200)}); the last token is left to expire";
                revocationUrl = null;
            }
        }

        return new DiscoveredClient(givenTokenUrl ?? metadata.TokenEndpoint, method, revocationUrl, revocationMethod, note);
    }

    /// <summary>Reads <paramref name="issuer"/>'s metadata through <paramref name="discovery"/> and <see cref="Decide"/>s.</summary>
    public static async Task<DiscoveredClient> DiscoverAsync(MetadataDiscovery discovery, Uri issuer, TokenRequest request, Uri? givenTokenUrl, ClientAuthMethod? chosenMethod, Uri? givenRevocationUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(request);
        var metadata = await discovery.DiscoverAsync(issuer, request.AllowInsecureHttp, request.RequestTimeout, cancellationToken);
        return Decide(metadata, request, givenTokenUrl, chosenMethod, givenRevocationUrl);
    }

    /// <summary>One line for the step's log: what the issuer's metadata named.</summary>
    public string Describe(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return $"{issuer.AbsoluteUri} names the token endpoint {TokenUrl.AbsoluteUri} ({AuthMethod.ToWireName()}) and {(RevocationUrl is { } revocation ? $"the revocation endpoint {revocation.AbsoluteUri}" : "no revocation endpoint")}";
    }

    /// <summary>The request as sent to the discovered token endpoint.</summary>
    public TokenRequest ApplyTo(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { TokenUrl = TokenUrl, AuthMethod = AuthMethod };
    }

    /// <summary>The request as the revocation endpoint wants the client to authenticate.</summary>
    public TokenRequest ForRevocation(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { TokenUrl = TokenUrl, AuthMethod = RevocationAuthMethod };
    }

    /// <summary>For a host's state between its steps: URLs and method names, nothing secret.</summary>
    public string ToJson() => new JObject
    {
        ["token_url"] = TokenUrl.AbsoluteUri,
        ["client_auth"] = AuthMethod.ToWireName(),
        ["revocation_url"] = RevocationUrl?.AbsoluteUri,
        ["revocation_client_auth"] = RevocationAuthMethod.ToWireName(),
        ["revocation_note"] = RevocationNote,
    }.ToString(Formatting.None);

    /// <summary>Reads <see cref="ToJson"/>'s text back; null for anything else, which the caller then does not act on.</summary>
    public static DiscoveredClient? FromJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            return JObject.Load(reader) is { } json
                && Url(json["token_url"]) is { } tokenUrl
                && ClientAuthMethodNames.TryParse((string?)(json["client_auth"] as JValue), out var method)
                && ClientAuthMethodNames.TryParse((string?)(json["revocation_client_auth"] as JValue), out var revocationMethod)
                ? new DiscoveredClient(tokenUrl, method, Url(json["revocation_url"]), revocationMethod, json["revocation_note"] is JValue { Value: string note } ? note : null)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Uri? Url(JToken? token) =>
        token is JValue { Value: string text } && Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;
}
