using StudioToken.Azure.Inputs;

namespace StudioToken.Azure.Tests.Fakes;

/// <summary>
/// The task's inputs as the agent passes them (<c>INPUT_NAME</c>, plus any <c>ENDPOINT_*</c> a test adds), read the
/// way every input test reads them: all valid, or invalid with errors that are one line each and hold no secret.
/// </summary>
internal sealed class AgentInputs(Dictionary<string, string> environment, params string[] secrets)
{
    public Dictionary<string, string> Environment { get; } = environment;

    public TaskInputs Inputs => new(name => Environment.TryGetValue(name, out var value) ? value : null);

    public void Set(string input, string value) => Environment["INPUT_" + input.ToUpperInvariant()] = value;

    public TaskSettings ReadValid()
    {
        var settings = Inputs.TryRead(out var errors);
        Assert.That(errors, Is.Empty, () => string.Join("; ", errors));
        return settings ?? throw new AssertionException("no settings although there were no errors");
    }

    public IReadOnlyList<TaskInputError> ReadInvalid()
    {
        var settings = Inputs.TryRead(out var errors);
        Assert.Multiple(() =>
        {
            Assert.That(settings, Is.Null);
            Assert.That(errors, Is.Not.Empty);
            foreach (var secret in secrets)
            {
                Assert.That(errors.Any(e => (e.Input + " " + e.Message).Contains(secret, StringComparison.Ordinal)), Is.False, "an error message holds a secret");
            }

            Assert.That(errors.Select(e => e.Message), Has.None.Contains("\n"), "every error is one line");
        });
        return errors;
    }
}
