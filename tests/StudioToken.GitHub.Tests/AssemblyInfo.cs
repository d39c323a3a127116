using System.Runtime.Versioning;

// The adapter under test is Linux-only (container actions run on Linux runners); so are its tests.
[assembly: SupportedOSPlatform("linux")]
