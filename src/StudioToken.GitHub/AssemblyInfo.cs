using System.Runtime.Versioning;

// Container actions run on Linux runners only (actions/runner ContainerActionHandler).
[assembly: SupportedOSPlatform("linux")]
