namespace McpGate.Cli.Tests.Support;

/// <summary>A fresh directory per test for its config file, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("mcpgate-cli-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="json"/> to <paramref name="name"/> here and returns its full path.</summary>
    public string WriteFile(string name, string json)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test over.
        }
    }
}
