using System.Text;

namespace McpGate.Configuration;

/// <summary>
/// A config file could not be found, read or accepted. <see cref="Exception.Message"/> lists every problem found,
/// each naming the file, the JSON path and the fix, so printing it is enough for an operator.
/// </summary>
public sealed class ConfigLoadException : Exception
{
    public ConfigLoadException(string sourcePath, IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(sourcePath, errors))
    {
        SourcePath = sourcePath;
        Errors = errors.ToArray().AsReadOnly();
    }

    /// <summary>The file the errors are about (the full path when one was resolved).</summary>
    public string SourcePath { get; }

    /// <summary>Every problem found, in document order where that is known. Never empty.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(string sourcePath, IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A config load failure needs at least one error.", nameof(errors));
        }

        var text = new StringBuilder();
        text.Append("Cannot load configuration ").Append(sourcePath).Append(": ")
            .Append(errors.Count).Append(errors.Count == 1 ? " error" : " errors");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  ").Append(error.Format(sourcePath));
        }

        return text.ToString();
    }
}
