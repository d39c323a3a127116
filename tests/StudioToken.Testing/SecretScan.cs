using System.Net;
using System.Text;
using NUnit.Framework;

namespace StudioToken.Testing;

/// <summary>Looks for a secret in everything a run printed, in the forms a leak could take.</summary>
public static class SecretScan
{
    public static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        yield return WebUtility.UrlEncode(secret);
        yield return Uri.EscapeDataString(secret);
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>
    /// Fails naming what leaked and where, never the secret or the text around it: a failed scan must not put the
    /// secret into the CI log it guards.
    /// </summary>
    public static void AssertAbsent(string text, string secret, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var forms = FormsOf(secret).Distinct().ToList();
        for (var i = 0; i < forms.Count; i++)
        {
            var at = text.IndexOf(forms[i], StringComparison.Ordinal);
            Assert.That(at, Is.EqualTo(-1), $"{what} leaked into the output ({(i == 0 ? "as is" : $"encoded, form {i}")}, at offset {at} of {text.Length} characters)");
        }
    }
}
