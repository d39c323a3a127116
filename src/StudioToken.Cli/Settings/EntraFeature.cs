using System.Diagnostics.CodeAnalysis;

namespace StudioToken.Cli.Settings;

/// <summary>
/// Whether this build carries Entra ID (MSAL). The GitHub Action's image is built without it
/// (<c>-p:StudioTokenEntra=false</c>): the action does not offer Entra, and MSAL would put the image over its size goal.
/// The switch is fixed at publish time, so NativeAOT trims MSAL out of that binary.
/// </summary>
internal static class EntraFeature
{
    public const string Switch = "StudioToken.Entra.IsSupported";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
