using System.Security.Cryptography.X509Certificates;
using StudioToken.Core.OAuth;
using StudioToken.Core.Security;

namespace StudioToken.Entra;

/// <summary>How the app proves itself to Entra: one of a client secret, a certificate, or a federated assertion.</summary>
public abstract record EntraCredential
{
    private EntraCredential()
    {
    }

    /// <summary>Words for messages: which credential was refused, so the hint fits it.</summary>
    internal abstract string Name { get; }

    /// <summary>A client secret of the app registration (Certificates &amp; secrets).</summary>
    public sealed record ClientSecret(Secret Value) : EntraCredential
    {
        internal override string Name => "client secret";
    }

    /// <summary>
    /// A certificate whose public half is uploaded to the app registration: MSAL signs a client assertion with its
    /// private key and names the certificate by its thumbprint in the header.
    /// </summary>
    public sealed record ClientCertificate(X509Certificate2 Certificate) : EntraCredential
    {
        internal override string Name => "certificate";
    }

    /// <summary>
    /// A federated identity credential: a CI platform's ID token (GitHub Actions, Azure Pipelines), asked for anew at
    /// every request, presented as the client assertion.
    /// </summary>
    public sealed record FederatedAssertion(IClientAssertionSource Source) : EntraCredential
    {
        internal override string Name => "federated credential";
    }
}
