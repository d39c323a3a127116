using System.Diagnostics;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Internal;
using StudioToken.Azure.Oidc;
using StudioToken.Core.Refresh;

namespace StudioToken.Azure.Refresher;

/// <summary>
/// The refresher as a background process of this same program (<c>studio-token azure-refresher</c>), outliving the
/// step that starts it. Its settings travel as <c>STUDIO_*</c> variables; its one secret (the client secret, the
/// private key, or for azure_oidc the job's access token, so it mints a new OIDC token for every refresh) travels on
/// its standard input (<see cref="RefresherHandOver"/>), read once, so it is in neither its command line nor its environment. The agent's inputs, connections and
/// secret variables are left out of its environment. It keeps the agent's <c>VSTS_PROCESS_LOOKUP_ID</c>, so the
/// agent's job-end cleanup finds it even if the post-job step never runs.
/// </summary>
public sealed class RefresherProcess(TimeProvider timeProvider) : IRefresherLauncher
{
    public const string Verb = "azure-refresher";
    public const string LogFileName = "refresher.log";
    public const string LogVariable = "STUDIO_REFRESHER_LOG";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public RefresherHandle Start(TaskSettings settings, string tokenDir)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program to start as the refresher"))
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The portable build runs as `dotnet studio-token.dll`: start the refresher the same way.
        if (IsDotnetHost(start.FileName))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "studio-token.dll"));
        }

        start.ArgumentList.Add(Verb);
        foreach (var name in start.Environment.Keys.Where(IsWithheld).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in Variables(settings, tokenDir))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the refresher did not start");
        RefresherHandOver.Write(process.StandardInput, RefresherHandOver.SecretsOf(settings));
        process.StandardInput.Close();
        return new RefresherHandle(process.Id, process.StartTime.ToUniversalTime());
    }

    /// <summary>
    /// The refresher's settings as the <c>STUDIO_*</c> variables <c>refresh</c> reads. With Entra: the provider, the
    /// tenant, the cloud and the certificate's path, and no token URL (the Entra path refuses one: the endpoint is
    /// the tenant's), nor a client-auth method beside a certificate (which is the credential).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Variables(TaskSettings settings, string tokenDir)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var variables = RefresherEnvironment.For(settings.Request, tokenDir, settings.RefreshPolicy, settings.MaxLifetime).ToList();
        if (settings.Entra is { } entra)
        {
            variables.RemoveAll(variable => variable.Key == "STUDIO_TOKEN_URL" || (entra.CertificateFile is not null && variable.Key == "STUDIO_CLIENT_AUTH"));
            variables.Add(new("STUDIO_PROVIDER", EntraInputs.EntraProvider));
            variables.Add(new("STUDIO_TENANT_ID", entra.Settings.TenantId));
            variables.Add(new("STUDIO_AUTHORITY_HOST", entra.Settings.AuthorityHost.AbsoluteUri));
            if (entra.CertificateFile is { } certificateFile)
            {
                variables.Add(new("STUDIO_CERTIFICATE_FILE", certificateFile));
            }
        }

        if (settings.AzureOidc is { } oidc)
        {
            variables.Add(new(ClientCredentialInputs.AzureServiceConnectionVariable, oidc.ServiceConnectionId));
            variables.Add(new(AzureOidcTokenSource.RequestUriVariable, oidc.RequestUri.AbsoluteUri));
        }

        variables.Add(new(LogVariable, Path.Combine(tokenDir, LogFileName)));
        return variables;
    }

    public async Task<string> StopAsync(RefresherHandle handle, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(handle.ProcessId);
        }
        catch (ArgumentException)
        {
            return "had already stopped";
        }

        using (process)
        {
            if (HasEnded(process) || Math.Abs((process.StartTime.ToUniversalTime() - handle.StartedAt).TotalSeconds) > 1)
            {
                return "had already stopped";
            }

            if (OperatingSystem.IsWindows())
            {
                process.Kill();
            }
            else
            {
                UnixProcess.Terminate(handle.ProcessId);
            }

            var deadline = timeProvider.GetUtcNow() + StopTimeout;
            while (!HasEnded(process))
            {
                if (timeProvider.GetUtcNow() >= deadline)
                {
                    process.Kill();
                    return $"killed (it did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM)";
                }

                await System.Threading.Tasks.Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken);
            }

            return "stopped";
        }
    }

    /// <summary>
    /// In the refresher itself, first thing: a session of its own and standard streams on the log file in the token
    /// directory, so nothing holds the task's pipes (the agent would wait for them) and a crash report lands in the log.
    /// </summary>
    public static void Detach(string logFile)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var log = new FileStream(logFile, options);
        if (OperatingSystem.IsWindows())
        {
            var writer = new StreamWriter(log) { AutoFlush = true };
            Console.SetOut(writer);
            Console.SetError(writer);
            return;
        }

        UnixProcess.StartSession();
        UnixProcess.RedirectStandardStreams(log.SafeFileHandle);
    }

    private static bool HasEnded(Process process) =>
        OperatingSystem.IsWindows() ? process.HasExited : UnixProcess.HasEnded(process.Id);

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Secrets and what the agent meant for the task step only (inputs, connections, secret variables, the job's access token).</summary>
    private static bool IsWithheld(string name) =>
        name.StartsWith("INPUT_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ENDPOINT_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("SECRET_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTS_TASKVARIABLE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("STUDIO_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("SYSTEM_ACCESSTOKEN", StringComparison.OrdinalIgnoreCase)
        // Without TF_BUILD the refresher does not write ##vso commands nobody reads into its log.
        || name.Equals("TF_BUILD", StringComparison.OrdinalIgnoreCase);
}
