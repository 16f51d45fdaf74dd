using McpGate.Cli;

return await McpCommand.InvokeAsync(args, McpCommand.CreateInvocationConfiguration());
