namespace McpGate.Benchmarks;

/// <summary>Finds files of the repository the benchmarks were built from (fixtures shared with the load bench).</summary>
internal static class RepoFiles
{
    public static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGate.sln")))
            {
                return Path.Combine(directory.FullName, relativePath);
            }
        }

        throw new FileNotFoundException($"no McpGate.sln above {AppContext.BaseDirectory} to resolve {relativePath}");
    }
}
