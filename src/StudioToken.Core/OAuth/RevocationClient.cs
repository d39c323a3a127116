using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StudioToken.Core.Security;

namespace StudioToken.Core.OAuth;

/// <summary>
/// RFC 7009 token revocation, authenticated like the token request. The server answers 200 whether or not the token
/// was valid, so only transport failures and error answers are failures.
/// </summary>
public sealed class RevocationClient(HttpClient httpClient, TimeProvider timeProvider)
{
    public async Task RevokeAsync(Uri revocationUrl, TokenRequest client, Secret token, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("token", token.Reveal()),
            new("token_type_hint", "access_token"),
        };
        var federatedAssertion = await ClientAuthentication.FederatedAssertionAsync(client, tokenRequest: false, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, revocationUrl);
        ClientAuthentication.Apply(client, message, form, timeProvider.GetUtcNow(), federatedAssertion);
        message.Content = new FormUrlEncodedContent(form);
        using var timeout = new CancellationTokenSource(client.RequestTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : client.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(message, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, "revocation endpoint did not answer in time");
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRequestException(TokenFailureKind.Transient, $"could not reach the revocation endpoint at {revocationUrl.GetLeftPart(UriPartial.Authority)}: {ex.HttpRequestError}");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var code = (int)response.StatusCode;
            var kind = code is 408 or 429 or >= 500 ? TokenFailureKind.Transient : TokenFailureKind.Rejected;
            throw new TokenRequestException(kind, $"revocation endpoint answered {code} {response.StatusCode}", response.StatusCode, TokenClient.RetryAfter(response, timeProvider.GetUtcNow()));
        }
    }
}
