using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Core.OAuth;

namespace StudioToken.GitHub.Action;

/// <summary>
/// What the main step hands to the post step through <c>GITHUB_STATE</c> (it comes back as <c>STATE_studio_token</c>).
/// No secret: the post step gets the inputs again from the runner, and with <c>issuer</c> what main discovered, so it
/// revokes where the tokens came from without asking the server again.
/// </summary>
public sealed record ActionState(string TokenDir, string HostTokenDir, string? RefresherId)
{
    public const string Name = "studio_token";

    public DiscoveredClient? Discovered { get; init; }

    public string ToJson() => new JObject
    {
        ["token_dir"] = TokenDir,
        ["host_token_dir"] = HostTokenDir,
        ["refresher_id"] = RefresherId,
        ["discovered"] = Discovered?.ToJson(),
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
            // Anything but the shape main writes means the state is not ours to act on.
            var json = JObject.Parse(text);
            return json["token_dir"] is JValue { Value: string { Length: > 0 } tokenDir }
                && json["host_token_dir"] is JValue { Value: string { Length: > 0 } hostDir }
                && json["refresher_id"] is null or JValue { Type: JTokenType.Null } or JValue { Value: string }
                ? new ActionState(tokenDir, hostDir, json["refresher_id"] is JValue { Value: string { Length: > 0 } id } ? id : null)
                {
                    Discovered = DiscoveredClient.FromJson(json["discovered"] is JValue { Value: string discovered } ? discovered : null),
                }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
