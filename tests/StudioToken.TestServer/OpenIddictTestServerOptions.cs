namespace StudioToken.TestServer;

/// <summary>How to start an <see cref="OpenIddictTestServer"/>.</summary>
public sealed record OpenIddictTestServerOptions
{
    /// <summary>Lifetime of issued access tokens.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Registered confidential clients.</summary>
    public IReadOnlyList<TestClient> Clients { get; init; } = [TestClient.DefaultBasic, TestClient.DefaultPost];

    /// <summary>Loopback port to listen on; 0 picks a free one so parallel fixtures never collide.</summary>
    public int Port { get; init; }
}
