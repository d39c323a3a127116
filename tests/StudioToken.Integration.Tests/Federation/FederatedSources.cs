using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.GitHub.Oidc;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>Core's federated requests, with the platforms' real ID-token sources pointed at the local issuer.</summary>
public static class FederatedSources
{
    public static TokenRequest Request(TestClient client, ClientAuthMethod method, IClientAssertionSource source) => new()
    {
        TokenUrl = FederationServers.Server.TokenUrl,
        ClientId = client.ClientId,
        AuthMethod = method,
        AssertionSource = source,
        Scope = TestScopes.Script,
    };

    /// <summary>Built from a job's environment, as the CLI builds it.</summary>
    public static GitHubIdTokenSource GitHub(HttpClient http, string? audience = null) =>
        GitHubIdTokenSource.FromEnvironment(Lookup(FederatedEnvironments.GitHub(FederationServers.GitHubClient)), http, TimeProvider.System, audience);

    public static AzureOidcTokenSource Azure(HttpClient http) =>
        AzureOidcTokenSource.FromEnvironment(Lookup(FederatedEnvironments.Azure(FederationServers.AzureClient)), http, TimeProvider.System, FederationServers.Issuer.AzureServiceConnectionId);

    private static Func<string, string?> Lookup(Dictionary<string, string> environment) =>
        name => environment.TryGetValue(name, out var value) ? value : null;
}
