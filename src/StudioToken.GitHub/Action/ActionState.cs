using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace StudioToken.GitHub.Action;

/// <summary>
/// What the main step hands to the post step through <c>GITHUB_STATE</c> (it comes back as <c>STATE_studio_token</c>).
/// No secret: the post step gets the inputs again from the runner.
/// </summary>
public sealed record ActionState(string TokenDir, string HostTokenDir, string? RefresherId)
{
    public const string Name = "studio_token";

    public string ToJson() => new JObject
    {
        ["token_dir"] = TokenDir,
        ["host_token_dir"] = HostTokenDir,
        ["refresher_id"] = RefresherId,
    }.ToString(Formatting.None);

    public static ActionState? FromEnvironment(Func<string, string?> environment)
    {
        var text = environment("STATE_" + Name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var json = JObject.Parse(text);
            return new ActionState((string?)json["token_dir"] ?? string.Empty, (string?)json["host_token_dir"] ?? string.Empty, (string?)json["refresher_id"]);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
