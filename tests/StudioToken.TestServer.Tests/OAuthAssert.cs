namespace StudioToken.TestServer.Tests;

internal static class OAuthAssert
{
    /// <summary>An RFC 6749 §5.2 error with this status and code, whose description says which check failed.</summary>
    public static void Refused(OAuthResponse response, int status, string error, string descriptionPart)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo(status), response.Body.ToString());
            Assert.That(response.String("error"), Is.EqualTo(error));
            Assert.That(response.String("error_description"), Does.Contain(descriptionPart));
        }
    }
}
