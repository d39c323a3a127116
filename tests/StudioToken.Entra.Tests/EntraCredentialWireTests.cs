using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Moq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra.Tests;

/// <summary>What MSAL sends to Entra for each kind of credential, as the stand-in received it.</summary>
public sealed class EntraCredentialWireTests
{
    [Test]
    public async Task A_client_secret_is_sent_in_the_body_to_the_tenants_v2_token_endpoint_and_nothing_else_is_asked()
    {
        await using var entra = await EntraFixture.StartAsync();
        var source = entra.Source(new EntraCredential.ClientSecret(new Secret("s3cret-value~1")));

        var token = (await source.RequestTokenAsync(CancellationToken.None)).Token;

        // No instance discovery, no OpenID metadata: the token request is the only one.
        var request = entra.StandIn.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo($"/{EntraFixture.TenantId}/oauth2/v2.0/token"));
            Assert.That(source.TokenUrl, Is.EqualTo(new Uri(entra.StandIn.AuthorityHost, $"{EntraFixture.TenantId}/oauth2/v2.0/token")));
            Assert.That(request.Form["grant_type"], Is.EqualTo("client_credentials"));
            Assert.That(request.Form["client_id"], Is.EqualTo(entra.ClientId));
            Assert.That(request.Form["client_secret"], Is.EqualTo("s3cret-value~1"));
            Assert.That(request.Form["scope"], Is.EqualTo("https://management.azure.com/.default"));
            Assert.That(request.Form.ContainsKey("client_assertion"), Is.False);
            Assert.That(request.Headers.ContainsKey("Authorization"), Is.False);
            Assert.That(token.TokenType, Is.EqualTo("Bearer"));
            Assert.That(token.Value.Reveal(), Does.StartWith("entra-token-1-"));
            Assert.That(token.Scope, Is.EqualTo("https://management.azure.com/.default"));
            Assert.That(token.ExpiresOn - DateTimeOffset.UtcNow, Is.EqualTo(TimeSpan.FromSeconds(3599)).Within(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public async Task A_certificate_signs_a_client_assertion_for_the_token_endpoint_named_by_its_thumbprint()
    {
        await using var entra = await EntraFixture.StartAsync();
        using var certificate = TestCertificates.CreateRsa();
        var source = entra.Source(new EntraCredential.ClientCertificate(certificate));

        await source.RequestTokenAsync(CancellationToken.None);

        var form = entra.StandIn.TokenRequests.Single().Form;
        var assertion = Jwt.Parse(form["client_assertion"]);
        var header = assertion.Header;
        var claims = assertion.Payload;
        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.Multiple(() =>
        {
            Assert.That(form["client_assertion_type"], Is.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That(form.ContainsKey("client_secret"), Is.False);
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("PS256"));
            Assert.That(header.TryGetProperty("x5c", out _), Is.False, "sendX5C is off: the certificate is uploaded to the app, not sent");
            Assert.That(publicKey.VerifyData(assertion.SignedBytes, assertion.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), Is.True, "signed with the certificate's key");
            Assert.That(claims.GetProperty("aud").GetString(), Is.EqualTo(new Uri(entra.StandIn.AuthorityHost, $"{EntraFixture.TenantId}/oauth2/v2.0/token").AbsoluteUri));
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo(entra.ClientId));
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo(entra.ClientId));
            Assert.That(claims.TryGetProperty("jti", out _), Is.True);
            Assert.That(claims.TryGetProperty("exp", out _), Is.True);
        });

        // Measured with MSAL 4.92: PS256, and the certificate named by its SHA-256 thumbprint (x5t#S256), which Entra
        // matches against the certificates uploaded to the app.
        Assert.That(header.GetProperty("x5t#S256").GetString(), Is.EqualTo(System.Buffers.Text.Base64Url.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA256))));
    }

    [Test]
    public async Task A_federated_credential_sends_a_new_id_token_as_the_client_assertion_at_every_request()
    {
        await using var entra = await EntraFixture.StartAsync();
        var issued = 0;
        var idTokens = new Mock<IClientAssertionSource>(MockBehavior.Strict);
        idTokens.Setup(s => s.GetAssertionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => new Secret(Jwt.FakeIdToken(++issued)));
        var source = entra.Source(new EntraCredential.FederatedAssertion(idTokens.Object));

        var first = await source.RequestTokenAsync(CancellationToken.None);
        entra.Clock.SetUtcNow(first.Token.RefreshOn);
        await source.RequestTokenAsync(CancellationToken.None);

        var forms = entra.StandIn.TokenRequests.Select(r => r.Form).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(forms, Has.Count.EqualTo(2));
            Assert.That(forms.Select(f => f["client_assertion"]), Is.EqualTo(new[] { Jwt.FakeIdToken(1), Jwt.FakeIdToken(2) }));
            Assert.That(forms.Select(f => f["client_assertion_type"]), Is.All.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That(forms.Any(f => f.ContainsKey("client_secret")), Is.False);
        });
    }
}
