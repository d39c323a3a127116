using NUnit.Framework.Internal;
using StudioToken.Testing;

namespace StudioToken.Cli.Tests;

/// <summary>The scan every secret-safety test relies on: it must find each form of a leak, and never repeat the secret when it does.</summary>
public sealed class SecretScanTests
{
    private const string Secret = "s3cr:t +%Ω";

    [TestCaseSource(typeof(SecretScan), nameof(SecretScan.FormsOf), new object[] { Secret })]
    public void A_leak_in_any_form_fails_without_the_secret_or_the_text_in_the_message(string form)
    {
        string message;
        using (new TestExecutionContext.IsolatedContext())
        {
            var ex = Assert.Throws<AssertionException>(() => SecretScan.AssertAbsent($"log line before {form} log line after", Secret, "the client secret"));
            message = ex!.Message;
        }

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("the client secret leaked into the output"));
            foreach (var anyForm in SecretScan.FormsOf(Secret))
            {
                Assert.That(message.Contains(anyForm, StringComparison.Ordinal), Is.False, "the failure message repeats the secret");
            }

            Assert.That(message, Does.Not.Contain("log line"), "the failure message quotes the output");
        });
    }

    [Test]
    public void Output_without_the_secret_passes() =>
        Assert.DoesNotThrow(() => SecretScan.AssertAbsent("nothing to see here", Secret, "the client secret"));
}
