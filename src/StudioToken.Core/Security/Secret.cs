namespace StudioToken.Core.Security;

/// <summary>A secret value (client secret, access token) that never prints itself: <see cref="ToString"/> is <c>***</c>.</summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The plain value, for the few places that must send or store it. Name the call site after why.</summary>
    public string Reveal() => _value;

    public int Length => _value.Length;

    public override string ToString() => "***";

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
