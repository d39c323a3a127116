using Microsoft.Identity.Client;

namespace StudioToken.Entra.Internal;

/// <summary>
/// Hands MSAL our one <see cref="HttpClient"/> (see <c>TokenClient.CreateHttpClient</c>: no redirects, no cookies),
/// instead of the one MSAL would build, so token requests to Entra follow the same rules as every other we send.
/// </summary>
internal sealed class MsalHttpClientFactory(HttpClient httpClient) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClient;
}
