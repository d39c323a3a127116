using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace StudioToken.TestServer;

/// <summary>An access token the server issued by exchanging <paramref name="SubjectToken"/> (RFC 8693).</summary>
public sealed record TokenExchange(string SubjectToken, string AccessToken)
{
    // Records print every property; both are secrets.
    public override string ToString() => "TokenExchange { SubjectToken = ***, AccessToken = *** }";
}

/// <summary>
/// What the server answered with success, as it answered: the access tokens it issued by token exchange (with the
/// subject token each was for) and the tokens it revoked. End-to-end tests check a token they find against it, since
/// they never see the request that got the token.
/// </summary>
internal sealed class TokenLedger
{
    // Before OpenIddict's own handlers, which write the answer and end the event.
    private const int BeforeTheAnswerIsWritten = int.MinValue + 100_000;

    private readonly Lock _lock = new();
    private readonly List<TokenExchange> _exchanges = [];
    private readonly List<string> _revoked = [];

    public IReadOnlyList<TokenExchange> Exchanges
    {
        get
        {
            lock (_lock)
            {
                return [.. _exchanges];
            }
        }
    }

    public IReadOnlyList<string> Revoked
    {
        get
        {
            lock (_lock)
            {
                return [.. _revoked];
            }
        }
    }

    public static void Keep(OpenIddictServerBuilder server)
    {
        server.Services.AddSingleton<TokenLedger>();
        server.AddEventHandler(RecordExchange.Descriptor);
        server.AddEventHandler(RecordRevocation.Descriptor);
    }

    private void Add<T>(List<T> list, T item)
    {
        lock (_lock)
        {
            list.Add(item);
        }
    }

    internal sealed class RecordExchange(TokenLedger ledger) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<RecordExchange>()
            .SetOrder(BeforeTheAnswerIsWritten)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (string.IsNullOrEmpty(context.Error) && context.Request is { } request && request.IsTokenExchangeGrantType()
                && request.SubjectToken is { } subject && context.Response.AccessToken is { } accessToken)
            {
                ledger.Add(ledger._exchanges, new TokenExchange(subject, accessToken));
            }

            return ValueTask.CompletedTask;
        }
    }

    internal sealed class RecordRevocation(TokenLedger ledger) : IOpenIddictServerHandler<ApplyRevocationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyRevocationResponseContext>()
            .UseSingletonHandler<RecordRevocation>()
            .SetOrder(BeforeTheAnswerIsWritten)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyRevocationResponseContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (string.IsNullOrEmpty(context.Error) && context.Request?.Token is { } token)
            {
                ledger.Add(ledger._revoked, token);
            }

            return ValueTask.CompletedTask;
        }
    }
}
