using System.CommandLine;

namespace McpGate.Cli.Commands;

/// <summary>Runs a command body and maps its expected failures to exit codes and a message on stderr.</summary>
internal static class CommandRunner
{
    /// <summary>
    /// Returned for a bug rather than a verdict: distinct from 1 so a CI gate never mistakes a crash for "denied".
    /// </summary>
    public const int InternalError = 70;

    public static async Task<int> RunAsync(ParseResult parseResult, Func<TextWriter, TextWriter, Task<int>> body)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return await body(output, error);
        }
        catch (CommandFailedException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("mcp: cancelled");
            return 130;
        }
#pragma warning disable CA1031 // The last resort: report the bug and keep the exit code out of the verdict range.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"mcp: internal error: {ex}");
            return InternalError;
        }
    }
}
