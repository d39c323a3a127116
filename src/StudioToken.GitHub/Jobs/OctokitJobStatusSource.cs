using System.Globalization;
using Octokit;
using Octokit.Internal;
using StudioToken.Core.Security;

namespace StudioToken.GitHub.Jobs;

/// <summary>
/// Asks the GitHub REST API (through Octokit, at <c>GITHUB_API_URL</c>, so GitHub Enterprise Server works) for the
/// jobs of this run attempt and finds the one running on this runner.
/// </summary>
public sealed class OctokitJobStatusSource(IGitHubClient client, string owner, string repository, long runId, int attempt, string runnerName) : IJobStatusSource
{
    /// <summary>From the runner's variables; null when one is missing (not in GitHub Actions, or an old runner).</summary>
    public static OctokitJobStatusSource? FromEnvironment(Func<string, string?> environment, Secret token)
    {
        var apiUrl = environment("GITHUB_API_URL");
        var repository = environment("GITHUB_REPOSITORY")?.Split('/');
        var runner = environment("RUNNER_NAME");
        if (apiUrl is null || repository is not { Length: 2 } || runner is null
            || !long.TryParse(environment("GITHUB_RUN_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            || !int.TryParse(environment("GITHUB_RUN_ATTEMPT") ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            || !Uri.TryCreate(apiUrl, UriKind.Absolute, out var api))
        {
            return null;
        }

        var connection = new Connection(
            new ProductHeaderValue("studio-token"),
            api,
            new InMemoryCredentialStore(new Credentials(token.Reveal())),
            new HttpClientAdapter(() => new ConditionalRequestHandler(new SocketsHttpHandler { AllowAutoRedirect = false })),
            new SimpleJsonSerializer());
        return new OctokitJobStatusSource(new GitHubClient(connection), repository[0], repository[1], runId, attempt, runner);
    }

    public async Task<(JobState State, string? Problem)> GetStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Actions.Workflows.Jobs.List(owner, repository, runId, attempt, new ApiOptions { PageSize = 100, PageCount = 1 });
            var ours = response.Jobs.Where(job => string.Equals(job.RunnerName, runnerName, StringComparison.Ordinal)).ToList();
            // A status this Octokit does not know yet is taken as running: stopping early would break the job.
            if (ours.Any(job => !job.Status.TryParse(out var status) || status is not WorkflowJobStatus.Completed))
            {
                return (JobState.Running, null);
            }

            return ours.Count > 0
                ? (JobState.Completed, null)
                : (JobState.Unknown, $"no job of run {runId} attempt {attempt} runs on {runnerName}");
        }
        catch (ApiException ex)
        {
            return (JobState.Unknown, $"the GitHub API answered {(int)ex.StatusCode} (does the job grant `actions: read` to github-token?)");
        }
        catch (HttpRequestException ex)
        {
            return (JobState.Unknown, $"the GitHub API could not be reached: {ex.HttpRequestError}");
        }
    }
}
