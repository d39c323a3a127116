using StudioToken.Cli.Output;
using StudioToken.Core.Security;

namespace StudioToken.Cli.Tests.Output;

public sealed class SecretMaskingTests
{
    [Test]
    public void GitHub_Actions_escapes_percent_CR_and_LF_as_the_runner_unescapes_them()
    {
        var masking = SecretMasking.ForEnvironment(name => name == "GITHUB_ACTIONS" ? "true" : null);

        Assert.That(masking.CommandFor(new Secret("a%b\r\nc")), Is.EqualTo("::add-mask::a%25b%0D%0Ac"));
    }

    [Test]
    public void Azure_Pipelines_escapes_percent_as_AZP25_and_CR_LF()
    {
        var masking = SecretMasking.ForEnvironment(name => name == "TF_BUILD" ? "True" : null);

        Assert.That(masking.CommandFor(new Secret("a%b\r\nc")), Is.EqualTo("##vso[task.setsecret]a%AZP25b%0D%0Ac"));
    }

    [Test]
    public void Outside_a_known_runner_registers_nothing()
    {
        var masking = SecretMasking.ForEnvironment(_ => null);

        Assert.That(masking.CommandFor(new Secret("value")), Is.Null);
    }
}
