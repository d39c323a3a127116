namespace StudioToken.Core.Security;

/// <summary>
/// Last line of defence for text that leaves the process (error messages, server-provided descriptions):
/// replaces every known secret value with <c>***</c>, because a hostile or buggy server may echo what it was sent.
/// </summary>
public sealed class Redactor
{
    private readonly List<string> _values = [];
    private readonly Lock _gate = new();

    public void Add(Secret? secret)
    {
        if (secret is null)
        {
            return;
        }

        lock (_gate)
        {
            var value = secret.Reveal();
            if (!_values.Contains(value, StringComparer.Ordinal))
            {
                _values.Add(value);
                _values.Sort((a, b) => b.Length.CompareTo(a.Length));
            }
        }
    }

    public string Redact(string text)
    {
        lock (_gate)
        {
            foreach (var value in _values)
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
