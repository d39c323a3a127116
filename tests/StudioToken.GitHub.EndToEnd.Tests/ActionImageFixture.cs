namespace StudioToken.GitHub.EndToEnd.Tests;

/// <summary>
/// The action's image (<c>STUDIO_TOKEN_ACTION_IMAGE</c>), a fresh simulated runner for every test, and after it the
/// removal of any refresher left and the scan of everything printed for the fixture's secrets.
/// </summary>
public abstract class ActionImageFixture
{
    protected static string Image { get; } = Environment.GetEnvironmentVariable("STUDIO_TOKEN_ACTION_IMAGE") ?? string.Empty;

    protected static bool HasImage => Image.Length > 0;

    protected ActionSteps Steps { get; private set; } = null!;

    [SetUp]
    public void NewRunner()
    {
        if (!HasImage)
        {
            Assert.Ignore("set STUDIO_TOKEN_ACTION_IMAGE to an image built by action/build-image.sh (.ci/run does)");
        }

        Steps = new ActionSteps(new RunnerSimulation(Image));
    }

    [TearDown]
    public async Task CleanUpAndScan()
    {
        if (!HasImage)
        {
            return;
        }

        await Steps.RemoveRefreshersAsync();
        Steps.Runner.Dispose();
        AssertNoSecretLeaked(Steps);
    }

    /// <summary>Fails if anything the test's steps or Docker printed holds one of the fixture's secrets.</summary>
    protected abstract void AssertNoSecretLeaked(ActionSteps steps);
}
