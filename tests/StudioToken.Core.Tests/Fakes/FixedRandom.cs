namespace StudioToken.Core.Tests.Fakes;

/// <summary>A Random whose every NextDouble is the same value, to pin jitter at its low, middle or high end.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;

    protected override double Sample() => value;
}
