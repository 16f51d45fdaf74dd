namespace McpGate.Cli.Commands;

/// <summary>An expected failure with its exit code; the message is printed to stderr as it stands.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.Usage;
}
