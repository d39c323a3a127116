namespace StudioToken.TestServer.Federation;

/// <summary>How to start an <see cref="IdTokenIssuer"/>; the defaults look like the real platforms' tokens.</summary>
public sealed record IdTokenIssuerOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where <c>iat</c>, <c>nbf</c> and <c>exp</c> come from.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long an ID token is valid; GitHub's and Azure's live minutes.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>sub</c> of GitHub Actions ID tokens: the repository and ref the job runs for.</summary>
    public string GitHubSubject { get; init; } = "repo:octo-org/octo-repo:ref:refs/heads/main";

    /// <summary>The <c>aud</c> GitHub uses when the job asks for none: the URL of the repository owner.</summary>
    public string GitHubDefaultAudience { get; init; } = "https://github.com/octo-org";

    /// <summary>The <c>sub</c> of Azure Pipelines OIDC tokens: the service connection, by organisation and project.</summary>
    public string AzureSubject { get; init; } = "sc://octo-org/octo-project/octo-connection";

    /// <summary>The <c>aud</c> of Azure Pipelines OIDC tokens, fixed by Azure for workload identity federation.</summary>
    public string AzureAudience { get; init; } = "api://AzureADTokenExchange";

    /// <summary>The one service connection the Azure endpoint mints tokens for.</summary>
    public string AzureServiceConnectionId { get; init; } = "5f3c1f2e-6a1b-4c8d-9e0f-1a2b3c4d5e6f";
}
