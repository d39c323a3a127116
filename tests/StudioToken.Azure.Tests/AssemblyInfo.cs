using System.Runtime.Versioning;

// Azure Pipelines runs this task on every OS, but these tests drive POSIX file modes and processes: Linux only.
[assembly: SupportedOSPlatform("linux")]
