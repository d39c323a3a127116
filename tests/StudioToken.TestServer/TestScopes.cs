namespace StudioToken.TestServer;

/// <summary>The scopes the server knows.</summary>
public static class TestScopes
{
    /// <summary>Granted to the default clients.</summary>
    public const string Script = "studio:script";

    /// <summary>Registered but granted to no default client, so asking for it yields invalid_scope.</summary>
    public const string Read = "studio:read";
}
