using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;
using StudioToken.Core.Tokens;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests;

/// <summary>
/// Core's token and revocation clients with private_key_jwt against OpenIddict, watching the wire: every request
/// carries its own assertion, and revocation authenticates the same way as the token request.
/// </summary>
/// <remarks>Its own server with hour-long tokens: with the assembly's 4-second ones "revoked" could not be told from "expired".</remarks>
[CancelAfter(120_000)]
public sealed class PrivateKeyJwtRequestTests
{
    private static readonly KeyClient Client = KeyClients.Es256;

    private OpenIddictTestServer _server = null!;
    private RecordingHandler _recorder = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions
        {
            AccessTokenLifetime = TimeSpan.FromHours(1),
            Clients = [TestClient.DefaultBasic, Client.Registration],
        });
        _recorder = new RecordingHandler();
        _http = TokenClient.CreateHttpClient(_recorder);

        // The first request warms the server (JIT, key material) so no test pays for it against its timeout.
        await RequestTokenAsync(Request() with { RequestTimeout = TimeSpan.FromMinutes(2) });
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        _http?.Dispose();
        _recorder?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private TokenRequest Request(string? type = "client-authentication+jwt") => new()
    {
        TokenUrl = _server.TokenUrl,
        ClientId = Client.ClientId,
        AuthMethod = ClientAuthMethod.PrivateKeyJwt,
        ClientAssertionKey = new ClientAssertionKey(new Secret(Client.PrivateKeyPem))
        {
            Audience = _server.Issuer.AbsoluteUri,
            Type = type ?? ClientAssertionKey.DefaultType,
        },
        Scope = TestScopes.Script,
    };

    private Task<TokenResponse> RequestTokenAsync(TokenRequest request) =>
        new TokenClient(_http, TimeProvider.System, new RefreshPolicy(), new FixedRandom(0.5)).RequestAsync(request, CancellationToken.None);

    private static JObject AssertionClaims(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var assertion = form.Single(p => p.Key == "client_assertion").Value;
        return JObject.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(assertion.Split('.')[1])));
    }

    [Test]
    public async Task Two_token_requests_carry_assertions_with_different_jti_and_both_get_tokens()
    {
        var request = Request();
        var before = _recorder.Forms.Count;

        var first = await RequestTokenAsync(request);
        var second = await RequestTokenAsync(request);

        var sent = _recorder.Forms.Skip(before).Select(AssertionClaims).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.Token.Value.Reveal(), Is.Not.EqualTo(second.Token.Value.Reveal()));
            Assert.That(sent, Has.Count.EqualTo(2));
            Assert.That((string?)sent[1]["jti"], Is.Not.EqualTo((string?)sent[0]["jti"]), "an assertion is never replayed");
            Assert.That(sent.Select(claims => (string?)claims["aud"]), Has.All.EqualTo(_server.Issuer.AbsoluteUri));
        });
    }

    [Test]
    public async Task Revokes_with_private_key_jwt_and_the_server_then_knows_the_token_as_inactive()
    {
        var token = (await RequestTokenAsync(Request())).Token.Value;
        Assert.That(await IsActiveAsync(token), Is.True, "the token must be live before it is revoked");
        var before = _recorder.Forms.Count;

        await new RevocationClient(_http, TimeProvider.System).RevokeAsync(_server.RevocationUrl, Request(), token, CancellationToken.None);

        var revocation = _recorder.Forms[before];
        Assert.Multiple(async () =>
        {
            Assert.That(revocation.Single(p => p.Key == "client_assertion_type").Value, Is.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That((string?)AssertionClaims(revocation)["iss"], Is.EqualTo(Client.ClientId));
            Assert.That(await IsActiveAsync(token), Is.False, "the server must know the token as revoked");
        });
    }

    [Test]
    public async Task A_revocation_whose_assertion_the_server_refuses_is_a_rejection()
    {
        var token = (await RequestTokenAsync(Request())).Token.Value;

        var ex = Assert.ThrowsAsync<TokenRequestException>(() =>
            new RevocationClient(_http, TimeProvider.System).RevokeAsync(_server.RevocationUrl, Request(type: null), token, CancellationToken.None))!;

        Assert.Multiple(async () =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await IsActiveAsync(token), Is.True, "an unauthenticated revocation changes nothing");
        });
    }

    /// <summary>Introspection as the secret client: OpenIddict tells it about any client's token.</summary>
    private Task<bool> IsActiveAsync(Secret token) => _server.IsActiveAsync(token.Reveal(), TestClient.DefaultBasic);

    /// <summary>Keeps the form of every request it passes on to the real network.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
    {
        private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _forms = [];

        public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Forms
        {
            get
            {
                lock (_forms)
                {
                    return [.. _forms];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Select(parts => new KeyValuePair<string, string>(WebUtility.UrlDecode(parts[0]), WebUtility.UrlDecode(parts.Length > 1 ? parts[1] : string.Empty)))
                .ToList();
            lock (_forms)
            {
                _forms.Add(form);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
