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

    public static void AssertAbsent(string text, string secret, string what)
    {
        foreach (var form in FormsOf(secret).Distinct())
        {
            Assert.That(text, Does.Not.Contain(form), $"{what} leaked into the output");
        }
    }
}
