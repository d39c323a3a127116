using StudioToken.LocalEndpoint;

namespace StudioToken.Cli.Tests;

/// <summary>A real token endpoint on 127.0.0.1 per fixture, and the environment that points the CLI at it.</summary>
public abstract class EndpointFixture
{
    protected const string ClientSecret = "cli-secret-\u00e9 +%&=";

    protected LocalTokenEndpoint Endpoint { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartEndpoint() =>
        Endpoint = LocalTokenEndpoint.Start(new LocalEndpointOptions { ClientId = "cli-client", ClientSecret = ClientSecret, TokenLifetime = TimeSpan.FromMinutes(10) });

    [OneTimeTearDown]
    public async Task StopEndpoint() => await Endpoint.DisposeAsync();

    protected Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["STUDIO_TOKEN_URL"] = Endpoint.TokenUrl.AbsoluteUri,
            ["STUDIO_CLIENT_ID"] = "cli-client",
            ["STUDIO_CLIENT_SECRET"] = ClientSecret,
            ["STUDIO_SCOPE"] = "studio:script",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    protected static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "studio-token-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
