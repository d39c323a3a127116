using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace StudioToken.TestServer.Federation;

/// <summary>
/// The two OpenIddict event handlers that judge a federated client's ID token by its <see cref="FederatedCredential"/>
/// instead of by OpenIddict's rules for tokens it issued or clients signed: one sets the token aside before OpenIddict
/// would validate it, the other validates it where OpenIddict would have. Clients without a credential are untouched.
/// </summary>
internal static class FederatedIdTokenHandlers
{
    public static IEnumerable<OpenIddictServerHandlerDescriptor> For<TUse>()
        where TUse : IFederatedIdTokenUse => [SetAside<TUse>.Descriptor, Authenticate<TUse>.Descriptor];

    private static string CredentialKey<TUse>() => "studio-token:federated:" + typeof(TUse).Name;

    internal sealed class SetAside<TUse>(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ProcessAuthenticationContext>
        where TUse : IFederatedIdTokenUse
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseScopedHandler<SetAside<TUse>>()
            .SetOrder(TUse.SetAsideOrder)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!TUse.AwaitsValidation(context) || string.IsNullOrEmpty(TUse.Token(context)))
            {
                return;
            }

            // Keyed by the client_id parameter, as Entra ID does: an ID token's iss and sub name the platform and the
            // workload, never the client.
            var credential = await FederatedClients.FindAsync(applications, context.ClientId, context.CancellationToken);
            if (credential is not null)
            {
                TUse.SetAside(context);
                context.Transaction.Properties[CredentialKey<TUse>()] = credential;
            }
        }
    }

    internal sealed class Authenticate<TUse>(FederatedAssertionValidator validator) : IOpenIddictServerHandler<ProcessAuthenticationContext>
        where TUse : IFederatedIdTokenUse
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<Authenticate<TUse>>()
            .SetOrder(TUse.AuthenticateOrder)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!context.Transaction.Properties.TryGetValue(CredentialKey<TUse>(), out var value) || value is not FederatedCredential credential)
            {
                return;
            }

            var result = await validator.ValidateAsync(TUse.Token(context)!, credential, context.CancellationToken);
            if (result.Principal is null)
            {
                context.Reject(error: TUse.RefusalError, description: $"The {TUse.Name} was refused: {result.Failure}.");
                return;
            }

            TUse.Attach(context, result.Principal);
        }
    }
}
