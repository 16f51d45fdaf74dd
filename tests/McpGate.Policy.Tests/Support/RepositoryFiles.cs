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
