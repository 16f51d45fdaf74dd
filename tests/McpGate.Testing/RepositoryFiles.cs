namespace McpGate.Testing;

/// <summary>Files of the repository the tests run from (the example config, the docs, the TypeScript clients).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root: the nearest directory above the test binaries holding McpGate.sln.</summary>
    public static string Root => s_root.Value;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGate.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No McpGate.sln above {AppContext.BaseDirectory}.");
    }
}
