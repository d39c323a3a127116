using StudioToken.Cli;

return await CliApplication.RunAsync(args, CliContext.FromProcess());
