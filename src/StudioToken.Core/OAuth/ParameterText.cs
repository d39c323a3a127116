using System.Net;

namespace StudioToken.Core.OAuth;

/// <summary>
/// The repeatable request parameters as users write them, the same on a command line, in a variable or in an action
/// input. Each bad entry becomes one problem, so a caller can report all of them or stop at the first.
/// </summary>
public static class ParameterText
{
    /// <summary><c>name=value</c> pairs, one per line and/or joined with <c>&amp;</c>, form-decoded.</summary>
    public static List<KeyValuePair<string, string>> ParseExtraParameters(IEnumerable<string> lines, ICollection<string> problems)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in lines.SelectMany(line => line.Trim().Split('&', StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"'{pair}' is not name=value; give one per line or as a=b&c=d");
                continue;
            }

            parameters.Add(new(WebUtility.UrlDecode(pair[..equals]), WebUtility.UrlDecode(pair[(equals + 1)..])));
        }

        return parameters;
    }

    /// <summary>RFC 8707 resource indicators separated by white space; a bare path (read as file:///) is refused too.</summary>
    public static List<Uri> ParseResources(IEnumerable<string> texts, ICollection<string> problems)
    {
        var resources = new List<Uri>();
        foreach (var text in texts.SelectMany(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var resource) && !resource.IsFile)
            {
                resources.Add(resource);
            }
            else
            {
                problems.Add($"'{text}' is not an absolute URI (RFC 8707), e.g. https://studio.example.com/api");
            }
        }

        return resources;
    }
}
