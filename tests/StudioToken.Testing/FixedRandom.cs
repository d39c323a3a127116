namespace StudioToken.Testing;

/// <summary>A <see cref="Random"/> whose every draw is the same fraction, so jittered delays are known in advance.</summary>
public sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;

    protected override double Sample() => value;

    public override int Next(int minValue, int maxValue) => minValue + (int)((maxValue - minValue) * value);
}
