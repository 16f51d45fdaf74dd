namespace McpGate.Policy.Tests.Support;

internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest directory above the test binaries holding McpGate.sln.</summary>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "McpGate.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"McpGate.sln not found above {AppContext.BaseDirectory}");
        }
    }
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("mcpgate-policy-").FullName;
    }

    public string Path { get; }

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
