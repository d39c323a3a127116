using StudioToken.Azure.Agent;
using StudioToken.Azure.Inputs;
using StudioToken.Azure.Tests.Fakes;
using StudioToken.Core.Security;

namespace StudioToken.Azure.Tests.Agent;

[TestFixture]
public sealed class AgentLogTests
{
    private const string SecretValue = "s3cret-%-value";

    private StringWriter _output = null!;
    private AgentLog _log = null!;

    private AgentOutput Output => new(_output.ToString());

    [SetUp]
    public void SetUp()
    {
        _output = new StringWriter();
        _log = new AgentLog(_output, new Redactor());
    }

    [TearDown]
    public void TearDown() => _output.Dispose();

    [Test]
    public void RegisterSecret_tells_the_agent_and_redacts_the_secret_from_later_messages()
    {
        _log.RegisterSecret(new Secret(SecretValue));
        _log.Information($"sent {SecretValue}");
        _log.Warning($"warned {SecretValue}");
        _log.Error($"failed {SecretValue}");

        var output = Output;
        Assert.Multiple(() =>
        {
            Assert.That(output.Lines, Has.Count.EqualTo(4));
            Assert.That(AgentOutput.Registers(output.Lines[0], SecretValue), Is.True, output.Lines[0]);
            Assert.That(output.Lines[1], Is.EqualTo("sent ***"));
            Assert.That(output.Issues("warning"), Is.EqualTo(new[] { "warned ***" }));
            Assert.That(output.Issues("error"), Is.EqualTo(new[] { "failed ***" }));
        });
        output.AssertNoLeak(SecretValue);
    }

    [Test]
    public void ForStep_registers_the_input_secret_and_the_connection_password_before_anything_else()
    {
        var environment = new Dictionary<string, string>
        {
            ["INPUT_CLIENTSECRET"] = SecretValue,
            ["INPUT_CONNECTEDSERVICE"] = "c0ffee00-0000-4000-8000-000000000001",
            ["ENDPOINT_AUTH_PARAMETER_c0ffee00-0000-4000-8000-000000000001_PASSWORD"] = "connection;pass]word",
        };

        var log = AgentLog.ForStep(_output, new TaskInputs(name => environment.GetValueOrDefault(name)));
        log.Information($"{SecretValue} and connection;pass]word");

        var output = Output;
        Assert.Multiple(() =>
        {
            Assert.That(output.Lines, Has.Count.EqualTo(3));
            Assert.That(AgentOutput.Registers(output.Lines[0], SecretValue), Is.True, output.Text);
            Assert.That(AgentOutput.Registers(output.Lines[1], "connection;pass]word"), Is.True, output.Text);
            Assert.That(output.Lines[2], Is.EqualTo("*** and ***"));
        });
        output.AssertNoLeak(SecretValue);
        output.AssertNoLeak("connection;pass]word");
    }

    [Test]
    public void Information_from_a_server_cannot_smuggle_in_a_logging_command()
    {
        _log.Information("token endpoint said: bad\n##vso[task.setvariable variable=STUDIO_TOKEN]forged\r##[error]fake");

        var output = Output;
        Assert.Multiple(() =>
        {
            Assert.That(output.Lines, Has.Count.EqualTo(1));
            Assert.That(output.Commands, Is.Empty);
            Assert.That(output.Text, Does.Not.Contain("##["));
        });
    }

    [Test]
    public void A_multi_line_warning_is_one_issue_with_all_its_text()
    {
        _log.Warning("first\nsecond ##vso[task.setvariable variable=X]1");

        var output = Output;
        Assert.That(output.Lines, Has.Count.EqualTo(1));
        Assert.That(output.Issues("warning"), Is.EqualTo(new[] { "first\nsecond ##vso[task.setvariable variable=X]1" }));
        Assert.That(output.Named("task.setvariable"), Is.Empty);
    }

    [Test]
    public void Command_writes_the_line_as_it_is()
    {
        _log.Command(LoggingCommands.PrependPath("/opt/bin"));

        Assert.That(Output.Lines, Is.EqualTo(new[] { "##vso[task.prependpath]/opt/bin" }));
    }
}
