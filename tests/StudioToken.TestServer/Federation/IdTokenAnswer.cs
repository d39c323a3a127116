namespace StudioToken.TestServer.Federation;

/// <summary>How the local issuer's ID-token endpoints answer a caller whose bearer token is right.</summary>
public enum IdTokenAnswer
{
    /// <summary>200 with a new ID token.</summary>
    Token,

    /// <summary>403, as GitHub answers a job whose token lacks <c>permissions: id-token: write</c>.</summary>
    Forbidden,

    /// <summary>500, a platform outage.</summary>
    ServerError,
}
