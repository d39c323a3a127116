using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using StudioToken.Core.OAuth;
using StudioToken.Core.Retry;
using StudioToken.Core.Security;
using StudioToken.Core.Storage;
using StudioToken.Core.Tokens;
using StudioToken.GitHub.Docker;
using StudioToken.GitHub.Inputs;
using StudioToken.GitHub.Runner;

namespace StudioToken.GitHub.Action;

/// <summary>
/// The action's main step, inside its container: check the inputs, fetch and mask the first token, write the token
/// directory at a host path owned by the job's user, export it, and leave a refresher running for the later steps.
/// </summary>
// Container actions run on Linux runners only (actions/runner ContainerActionHandler).
[SupportedOSPlatform("linux")]
public sealed class ActionMain(ActionContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var redactor = new Redactor();
        var log = new WorkflowLog(context.Output, redactor);

        using var http = context.CreateHttpClient();
        var inputs = new ActionInputs(context.Environment, http, context.TimeProvider);
        log.MaskSecretInputs(inputs.Secrets());
        redactor.Add(inputs.IdTokenRequestToken);

        var settings = inputs.TryRead(out var errors);
        if (settings is null)
        {
            foreach (var error in errors)
            {
                log.Error($"studio-token: input {error.Input}", $"{error.Input}: {error.Message}");
            }

            return 1;
        }

        DiscoveredClient? discovered = null;
        if (settings.Issuer is { } issuer)
        {
            try
            {
                var discovery = new MetadataDiscovery(http, context.TimeProvider, new RetryPolicy(), context.Random, log);
                discovered = await DiscoveredClient.DiscoverAsync(discovery, issuer, settings.Request, settings.GivenTokenUrl, settings.ChosenMethod, settings.RevocationUrl, cancellationToken);
            }
            catch (TokenConfigurationException ex)
            {
                log.Error($"studio-token: input {ex.Setting}", ex.Message);
                return 1;
            }
            catch (TokenRequestException ex)
            {
                log.Error("studio-token: discovery failed", ex.Message);
                return 3;
            }

            settings = settings with { Request = discovered.ApplyTo(settings.Request), RevocationUrl = discovered.RevocationUrl };
            log.Information("studio-token: " + discovered.Describe(issuer));
            if (settings.Revoke && discovered.RevocationNote is { } note)
            {
                log.Information("studio-token: " + note);
            }
        }

        using var docker = DockerEngine.IsAvailable(context.DockerSocket) ? new DockerEngine(context.DockerSocket) : null;
        var self = docker is null ? null : await SelfContainer.InspectAsync(docker, context.Environment("HOSTNAME"), cancellationToken);
        var mounts = self?.BindMounts ?? FallbackMounts();
        var placement = TokenDirectoryPlacement.Choose(settings.TokenDir, mounts, context.ContainerRunnerTemp, context.Environment("GITHUB_ACTION"));
        if (placement.Error is { } placementError)
        {
            log.Error("studio-token: input token-dir", placementError);
            return 1;
        }

        if (settings.TokenDir is not null && TokenDirectoryWriter.ClaimProblem(placement.ContainerPath!) is { } claimProblem)
        {
            log.Error("studio-token: input token-dir", claimProblem.Replace(placement.ContainerPath!, placement.HostPath, StringComparison.Ordinal));
            return 1;
        }

        var owner = FileOwner.Of(context.ContainerRunnerTemp);
        var tokenClient = new TokenClient(http, context.TimeProvider, settings.RefreshPolicy, context.Random);
        var source = new ClientCredentialsTokenSource(tokenClient, settings.Request);
        TokenResponse response;
        try
        {
            response = await new TokenAcquirer(source, new RetryPolicy(), context.TimeProvider, context.Random, log).AcquireAsync(cancellationToken);
        }
        catch (TokenRequestException ex)
        {
            log.Error("studio-token: token request failed", ex.Message);
            return ex.Kind == TokenFailureKind.Rejected ? 2 : 3;
        }

        var token = response.Token;
        redactor.Add(token.Value);
        log.Command(WorkflowCommands.AddMask(token.Value));
        foreach (var warning in response.Warnings)
        {
            log.Warning(warning);
        }

        var publisher = new TokenPublisher(new TokenDirectoryWriter(placement.ContainerPath!, owner), settings.Request.TokenUrl, context.TimeProvider);
        publisher.Prepare();
        publisher.Publish(token);
        var hostDir = placement.HostPath!;
        var hostBin = Path.Combine(hostDir, "bin");
        HostReader.Install(placement.ContainerPath!, owner);

        string? refresherId = null;
        if (settings.Refresh && docker is not null && self is not null)
        {
            refresherId = await RefresherContainer.StartAsync(docker, self, settings, placement, owner, context, cancellationToken);
            log.Information($"refresher {refresherId[..12]} keeps {hostDir}/token fresh (refresh at {settings.RefreshPolicy.RefreshAt:0.##} of the lifetime, for at most {Core.DurationText.Format(settings.MaxLifetime)})");
        }
        else if (settings.Refresh && docker is not null)
        {
            log.Warning($"the Docker engine does not know this step's container (neither HOSTNAME nor /proc/self/mountinfo name it): the token will NOT be refreshed and expires at {TokenMetadata.Rfc3339(token.ExpiresOn)}. Run `studio-token refresh --token-dir DIR` yourself for longer jobs.");
        }
        else if (settings.Refresh)
        {
            log.Warning($"no Docker socket at {context.DockerSocket} (container hooks, Kubernetes runner, or a job container without the socket): the token will NOT be refreshed and expires at {TokenMetadata.Rfc3339(token.ExpiresOn)}. Run `studio-token refresh --token-dir DIR` yourself for longer jobs.");
        }

        Export(settings, token, hostDir, hostBin, new ActionState(placement.ContainerPath!, hostDir, refresherId) { Discovered = discovered });
        if (settings.Summary && context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryFile)
        {
            File.AppendAllText(summaryFile, JobSummary.ForMain(settings, token, hostDir, refresherId is not null), new UTF8Encoding(false));
        }

        return 0;
    }

    private void Export(ActionSettings settings, AccessToken token, string hostDir, string hostBin, ActionState state)
    {
        var expiresAt = TokenMetadata.Rfc3339(token.ExpiresOn);
        var hostTokenFile = Path.Combine(hostDir, TokenDirectoryWriter.TokenFileName);
        var env = new FileCommandWriter(context.Required("GITHUB_ENV"));
        env.Set(settings.EnvName, token.Value.Reveal());
        env.Set("STUDIO_TOKEN_FILE", hostTokenFile);

        var output = new FileCommandWriter(context.Required("GITHUB_OUTPUT"));
        output.Set("token", token.Value.Reveal());
        output.Set("expires-at", expiresAt);
        output.Set("token-file", hostTokenFile);
        output.Set("token-dir", hostDir);

        FileCommandWriter.AddPath(context.Required("GITHUB_PATH"), hostBin);
        new FileCommandWriter(context.Required("GITHUB_STATE")).Set(ActionState.Name, state.ToJson());
    }

    /// <summary>Without the Engine API, the runner's own layout: RUNNER_WORKSPACE is not translated, its sibling _temp is the host temp (actions/runner).</summary>
    private IReadOnlyList<Mount> FallbackMounts()
    {
        var workspace = context.Environment("RUNNER_WORKSPACE");
        return workspace is null
            ? []
            : [new Mount(Path.Combine(Path.GetDirectoryName(workspace.TrimEnd('/')) ?? "/", "_temp"), context.ContainerRunnerTemp)];
    }
}

/// <summary>Where the token directory goes, inside the container and on the host.</summary>
public sealed record TokenDirectoryPlacement(string? ContainerPath, string? HostPath, string? Error)
{
    public static TokenDirectoryPlacement Choose(string? requestedHostPath, IReadOnlyList<Mount> mounts, string containerRunnerTemp, string? stepId)
    {
        var map = new MountMap(mounts);
        if (requestedHostPath is not null)
        {
            var inside = map.ToContainer(requestedHostPath);
            return inside is null
                ? new(null, null, $"token-dir: {requestedHostPath} is not under a directory the runner shares with the action (use a path under $RUNNER_TEMP or $GITHUB_WORKSPACE)")
                : new(inside, Path.GetFullPath(requestedHostPath), null);
        }

        var name = new string((stepId ?? "step").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()).Trim('_');
        var container = Path.Combine(containerRunnerTemp, "studio-token", string.Create(CultureInfo.InvariantCulture, $"{(name.Length == 0 ? "step" : name)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}"));
        var host = map.ToHost(container);
        return host is null
            ? new(null, null, $"cannot tell the host path of {containerRunnerTemp}: no Docker socket to inspect the action's container and no RUNNER_WORKSPACE")
            : new(container, host, null);
    }
}
