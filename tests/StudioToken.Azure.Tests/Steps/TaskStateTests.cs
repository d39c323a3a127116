using StudioToken.Azure.Refresher;
using StudioToken.Azure.Steps;
using StudioToken.Azure.Tests.Fakes;

namespace StudioToken.Azure.Tests.Steps;

[TestFixture]
public sealed class TaskStateTests
{
    private static IEnumerable<TestCaseData> States()
    {
        yield return new TestCaseData("/home/vsts/work/_temp/studio-token/a1b2c3d4", new RefresherHandle(4242, new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)))
            .SetName("A_default_token_dir_and_refresher_round_trip");
        yield return new TestCaseData("/agent/_temp/odd;dir]with%AZP25 and\nnewline %3B", new RefresherHandle(1, new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567)))
            .SetName("A_token_dir_with_every_special_character_and_a_sub_millisecond_start_round_trip");
        yield return new TestCaseData(@"D:\a\_temp\studio-token\ff00", new RefresherHandle(int.MaxValue, DateTimeOffset.UnixEpoch))
            .SetName("A_Windows_token_dir_and_the_largest_pid_round_trip");
    }

    [TestCaseSource(nameof(States))]
    public void Round_trips_through_settaskvariable_as_the_agent_hands_it_to_the_post_job_step(string tokenDir, RefresherHandle handle)
    {
        var lines = new List<string> { TaskState.TokenDir(tokenDir) };
        lines.AddRange(TaskState.Refresher(handle));

        var environment = AgentLoggingCommands.TaskVariables(lines);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.All.StartWith("##vso[task.settaskvariable variable="));
            Assert.That(lines, Has.None.Contains("\n").And.None.Contains("\r"));
            Assert.That(environment.Keys, Is.EquivalentTo(new[] { "VSTS_TASKVARIABLE_STUDIOTOKENDIR", "VSTS_TASKVARIABLE_STUDIOTOKENREFRESHERPID", "VSTS_TASKVARIABLE_STUDIOTOKENREFRESHERSTARTED" }));
            Assert.That(TaskState.ReadTokenDir(name => environment.GetValueOrDefault(name)), Is.EqualTo(tokenDir));
            var read = TaskState.ReadRefresher(name => environment.GetValueOrDefault(name));
            Assert.That(read, Is.EqualTo(handle));
            Assert.That(read!.StartedAt.UtcTicks, Is.EqualTo(handle.StartedAt.UtcTicks), "to the tick: the post-job step compares start times");
        });
    }

    [Test]
    public void Without_task_variables_there_is_no_state()
    {
        Assert.That(TaskState.ReadTokenDir(_ => null), Is.Null);
        Assert.That(TaskState.ReadRefresher(_ => null), Is.Null);
        Assert.That(TaskState.ReadTokenDir(_ => string.Empty), Is.Null);
    }

    [Test]
    public void A_token_dir_without_a_refresher_reads_as_no_refresher()
    {
        var environment = AgentLoggingCommands.TaskVariables([TaskState.TokenDir("/tmp/x")]);

        Assert.That(TaskState.ReadTokenDir(name => environment.GetValueOrDefault(name)), Is.EqualTo("/tmp/x"));
        Assert.That(TaskState.ReadRefresher(name => environment.GetValueOrDefault(name)), Is.Null);
    }

    [TestCase("-1", "638000000000000000")]
    [TestCase("12x", "638000000000000000")]
    [TestCase("42", "soon")]
    [TestCase("42", "")]
    [TestCase(" 42", "638000000000000000")]
    public void A_garbled_refresher_state_reads_as_no_refresher(string pid, string started)
    {
        var environment = new Dictionary<string, string>
        {
            ["VSTS_TASKVARIABLE_STUDIOTOKENREFRESHERPID"] = pid,
            ["VSTS_TASKVARIABLE_STUDIOTOKENREFRESHERSTARTED"] = started,
        };

        Assert.That(TaskState.ReadRefresher(name => environment.GetValueOrDefault(name)), Is.Null);
    }
}
