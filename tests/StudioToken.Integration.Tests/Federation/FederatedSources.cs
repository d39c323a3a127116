using StudioToken.Azure.Oidc;
using StudioToken.Core.OAuth;
using StudioToken.GitHub.Oidc;
using StudioToken.Testing;
using StudioToken.TestServer;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>Core's federated requests, with the platforms' real ID-token sources pointed at the local issuer.</summary>
public static class FederatedSources
{
    /// <summary>The ID-token endpoint's own per-request timeout: it starts a timer at every attempt, which tests must not fire.</summary>
    public static readonly TimeSpan IdTokenRequestTimeout = TimeSpan.FromSeconds(30);

    public static TokenRequest Request(TestClient client, ClientAuthMethod method, IClientAssertionSource source) => new()
    {
        TokenUrl = FederationServers.Server.TokenUrl,
        ClientId = client.ClientId,
        AuthMethod = method,
        AssertionSource = source,
        Scope = TestScopes.Script,
    };

    /// <summary>Built from a job's environment, as the CLI builds it.</summary>
    public static GitHubIdTokenSource GitHub(HttpClient http, string? audience = null, TimeProvider? timeProvider = null) =>
        GitHubIdTokenSource.FromEnvironment(Lookup(FederatedEnvironments.GitHub(FederationServers.GitHubClient)), http, timeProvider ?? TimeProvider.System, audience);

    public static AzureOidcTokenSource Azure(HttpClient http) =>
        AzureOidcTokenSource.FromEnvironment(Lookup(FederatedEnvironments.Azure(FederationServers.AzureClient)), http, TimeProvider.System, FederationServers.Issuer.AzureServiceConnectionId);

    /// <summary>The due time of the next timer that is not an ID-token request's timeout (a retry delay, a refresh wait).</summary>
    public static async Task<TimeSpan> NextWaitAsync(TimerDrivenClock clock)
    {
        while (true)
        {
            var due = await clock.NextTimerAsync();
            if (due != IdTokenRequestTimeout)
            {
                return due;
            }
        }
    }

    private static Func<string, string?> Lookup(Dictionary<string, string> environment) =>
        name => environment.TryGetValue(name, out var value) ? value : null;
}
