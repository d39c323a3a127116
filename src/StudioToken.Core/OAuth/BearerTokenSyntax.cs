namespace StudioToken.Core.OAuth;

/// <summary>
/// RFC 6750 §2.1 <c>b64token</c>: <c>1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</c>.
/// Checked before a token goes anywhere, so an endpoint cannot smuggle CR/LF, <c>::</c> or <c>%</c> into runner commands.
/// </summary>
public static class BearerTokenSyntax
{
    public static bool IsB64Token(ReadOnlySpan<char> value)
    {
        var body = value.TrimEnd('=');
        if (body.IsEmpty)
        {
            return false;
        }

        foreach (var c in body)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}
