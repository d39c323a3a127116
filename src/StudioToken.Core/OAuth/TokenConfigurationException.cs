namespace StudioToken.Core.OAuth;

/// <summary>A setting is missing or wrong; the message names the setting and the fix. Nothing was sent.</summary>
public sealed class TokenConfigurationException(string setting, string problem)
    : Exception($"{setting}: {problem}")
{
    public string Setting { get; } = setting;
}
