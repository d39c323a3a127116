using StudioToken.TestServer;
using StudioToken.TestServer.Federation;

namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// <c>client-auth: github_oidc</c>, no stored secret at all: the local issuer standing in for GitHub's ID-token
/// service (<c>ACTIONS_ID_TOKEN_REQUEST_URL</c>/<c>_TOKEN</c>, as the runner sets them for a job with
/// <c>permissions: id-token: write</c>) and OpenIddict trusting its tokens, issuing access tokens that live 6 s.
/// After every test, everything printed is scanned for the request token, every ID token and every access token.
/// </summary>
public abstract class GitHubOidcFixture : ActionImageFixture
{
    protected const string Audience = "https://studio.example.com/e2e-federation";
    protected const string GitHubToken = "ghs_e2e-oidc-not-a-real-token";

    private FederationRig? _rig;

    protected IdTokenIssuer Issuer => _rig!.Issuer;

    protected OpenIddictTestServer Server => _rig!.Server;

    [OneTimeSetUp]
    public async Task StartIssuerAndServer()
    {
        if (!HasImage)
        {
            return;
        }

        _rig = await FederationRig.StartAsync(issuer => [TestClient.DefaultBasic, .. Clients(issuer)], TimeSpan.FromSeconds(6));
        // The first request warms the server (JIT, key material) so no token the action gets is half spent waiting.
        await Server.IsActiveAsync("warm-up", TestClient.DefaultBasic);
    }

    [OneTimeTearDown]
    public async Task StopIssuerAndServer()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    /// <summary>The fixture's clients, trusting the issuer's GitHub tokens for <see cref="Audience"/>; <c>TestClient.DefaultBasic</c> joins them for introspection.</summary>
    protected abstract IEnumerable<TestClient> Clients(IdTokenIssuer issuer);

    protected override void AssertNoSecretLeaked(ActionSteps steps)
    {
        steps.AssertNowhere(Issuer.GitHubRequestToken, "the runner's ID-token request token");
        foreach (var idToken in Issuer.IssuedTokens)
        {
            steps.AssertNowhere(idToken, "an ID token");
        }

        foreach (var exchange in Server.TokenExchanges)
        {
            steps.AssertNowhere(exchange.AccessToken, "an access token");
        }

        steps.AssertNowhere(GitHubToken, "the GitHub token");
    }

    /// <summary>The action's inputs for <paramref name="client"/> with github_oidc.</summary>
    protected Dictionary<string, string> Inputs(TestClient client) => new()
    {
        ["token-url"] = Server.TokenUrl.AbsoluteUri,
        ["client-id"] = client.ClientId,
        ["client-auth"] = "github_oidc",
        ["oidc-audience"] = Audience,
        ["scope"] = TestScopes.Script,
        ["revocation-url"] = Server.RevocationUrl.AbsoluteUri,
        ["github-token"] = GitHubToken,
    };

    /// <summary>What the runner adds to a step's environment when the job may ask for ID tokens.</summary>
    protected Dictionary<string, string> JobWithIdTokenPermission() => new()
    {
        ["ACTIONS_ID_TOKEN_REQUEST_URL"] = Issuer.GitHubRequestUrl.AbsoluteUri,
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = Issuer.GitHubRequestToken,
    };
}
