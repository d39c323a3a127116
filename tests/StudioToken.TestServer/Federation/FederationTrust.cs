using OpenIddict.Server;

namespace StudioToken.TestServer.Federation;

internal static class FederationTrust
{
    /// <summary>
    /// Lets clients registered with a <see cref="FederatedCredential"/> authenticate with a CI platform's ID token,
    /// as a client assertion or as the subject of a token exchange.
    /// </summary>
    public static OpenIddictServerBuilder AddFederationTrust(this OpenIddictServerBuilder server)
    {
        server.Services.AddSingleton<TrustedIssuerKeys>();
        // OpenIddict's own clock if one is registered, so both agree on what has expired.
        server.Services.AddSingleton(services => new FederatedAssertionValidator(
            services.GetRequiredService<TrustedIssuerKeys>(), services.GetService<TimeProvider>() ?? TimeProvider.System));
        server.AllowTokenExchangeFlow();
        server.Configure(options => options.SubjectTokenTypes.Add(FederatedSubjectToken.JwtTokenType));
        foreach (var descriptor in FederatedIdTokenHandlers.For<FederatedClientAssertion>().Concat(FederatedIdTokenHandlers.For<FederatedSubjectToken>()))
        {
            server.AddEventHandler(descriptor);
        }

        return server;
    }
}
