using StudioToken.TestServer;

namespace StudioToken.Integration.Tests.Federation;

/// <summary>What a CI job's environment holds for the CLI's federated methods, pointed at the local issuer and server.</summary>
public static class FederatedEnvironments
{
    /// <summary>A GitHub Actions job granted <c>permissions: id-token: write</c>: the runner sets the two request variables.</summary>
    public static Dictionary<string, string> GitHub(TestClient client) => new()
    {
        ["STUDIO_TOKEN_URL"] = FederationServers.Server.TokenUrl.AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = client.ClientId,
        ["STUDIO_CLIENT_AUTH"] = "github_oidc",
        ["STUDIO_SCOPE"] = TestScopes.Script,
        ["ACTIONS_ID_TOKEN_REQUEST_URL"] = FederationServers.Issuer.GitHubRequestUrl.AbsoluteUri,
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = FederationServers.Issuer.GitHubRequestToken,
    };

    /// <summary>An Azure Pipelines job that maps System.AccessToken and names the service connection.</summary>
    public static Dictionary<string, string> Azure(TestClient client) => new()
    {
        ["STUDIO_TOKEN_URL"] = FederationServers.Server.TokenUrl.AbsoluteUri,
        ["STUDIO_CLIENT_ID"] = client.ClientId,
        ["STUDIO_CLIENT_AUTH"] = "azure_oidc",
        ["STUDIO_SCOPE"] = TestScopes.Script,
        ["STUDIO_AZURE_SERVICE_CONNECTION_ID"] = FederationServers.Issuer.AzureServiceConnectionId,
        ["SYSTEM_OIDCREQUESTURI"] = FederationServers.Issuer.AzureOidcRequestUri.AbsoluteUri,
        ["SYSTEM_ACCESSTOKEN"] = FederationServers.Issuer.AzureAccessToken,
    };
}
