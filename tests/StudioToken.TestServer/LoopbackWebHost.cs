using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace StudioToken.TestServer;

// What every server of this project shares: Kestrel on 127.0.0.1 only, no configuration read from the machine,
// and no hold on the host's signals.
internal static class LoopbackWebHost
{
    public static WebApplicationBuilder CreateBuilder(int port)
    {
        // The empty builder reads no appsettings or environment, so nothing on the machine can move the server.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, InertHostLifetime>();
        return builder;
    }

    /// <summary>The root URL Kestrel listens on once started, with its trailing slash.</summary>
    public static Uri ListeningUrl(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report the address it listens on.");
        var address = addresses.Addresses.Single();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
