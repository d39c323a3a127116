using System.CommandLine;
using System.Globalization;
using StudioToken.Core;
using StudioToken.Core.OAuth;

namespace StudioToken.Cli.Settings;

/// <summary>
/// Reads an option from its flag, else from its <c>STUDIO_*</c> environment variable, and parses it with one-line
/// errors that name the flag. Flags and variables are strings on purpose: both go through the same parsing.
/// </summary>
internal sealed class OptionReader(ParseResult parseResult, CliContext context)
{
    public CliContext Context => context;

    public ParseResult ParseResult => parseResult;

    public string? String(Option<string> option, string? environmentVariable)
    {
        if (parseResult.GetResult(option) is not null)
        {
            return parseResult.GetValue(option);
        }

        var value = environmentVariable is null ? null : context.GetEnvironmentVariable(environmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string Required(Option<string> option, string environmentVariable, string example) =>
        String(option, environmentVariable) is { Length: > 0 } value
            ? value
            : throw new TokenConfigurationException(option.Name, $"is required; pass {option.Name} {example} or set {environmentVariable}");

    public bool Flag(Option<bool> option, string? environmentVariable)
    {
        if (parseResult.GetResult(option) is not null)
        {
            return parseResult.GetValue(option);
        }

        var value = environmentVariable is null ? null : context.GetEnvironmentVariable(environmentVariable);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "false" or "0" or "no" => false,
            "true" or "1" or "yes" => true,
            _ => throw new TokenConfigurationException(environmentVariable!, $"'{value}' is not true or false"),
        };
    }

    public TimeSpan? Duration(Option<string> option, string? environmentVariable)
    {
        var text = String(option, environmentVariable);
        if (text is null)
        {
            return null;
        }

        return DurationText.TryParse(text, out var duration) && duration >= TimeSpan.Zero
            ? duration
            : throw new TokenConfigurationException(option.Name, $"'{text}' is not a duration; write e.g. 30s, 10m, 6h or 1h30m");
    }

    public double? Fraction(Option<string> option, string? environmentVariable)
    {
        var text = String(option, environmentVariable);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1
            ? value
            : throw new TokenConfigurationException(option.Name, $"'{text}' must be a fraction of the token lifetime between 0 and 1, e.g. 0.5");
    }

    public int? PositiveInteger(Option<string> option, string? environmentVariable)
    {
        var text = String(option, environmentVariable);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new TokenConfigurationException(option.Name, $"'{text}' must be a whole number above 0");
    }
}
