using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpGate.SampleServer.Files;

/// <summary>
/// A stdio MCP server over one sandbox folder (<c>--stdio-files DIR</c>): the demo's <c>command</c> upstream, so a
/// newcomer sees a reader read a file and be refused a write with only .NET installed. Annotated like
/// server-filesystem's tools, which is what the gate's classifier reads.
/// </summary>
internal static class SandboxFilesServer
{
    public static async Task<int> RunAsync(string root)
    {
        var builder = Host.CreateApplicationBuilder();
        // stdout carries JSON-RPC: every log line goes to stderr, which the gate logs tagged with the alias.
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(new Sandbox(Path.GetFullPath(root)));
        builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<SandboxTools>();
        await builder.Build().RunAsync();
        return 0;
    }
}

internal sealed record Sandbox(string Root)
{
    /// <summary>The full path of a file inside the sandbox; a path that escapes it is refused.</summary>
    public string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path.TrimStart('/')));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' is outside the sandbox");
    }
}

[McpServerToolType]
internal sealed class SandboxTools(Sandbox sandbox)
{
    [McpServerTool(Name = "list_files", ReadOnly = true), Description("List the files in the sandbox folder.")]
    public string ListFiles() =>
        string.Join('\n', Directory.EnumerateFiles(sandbox.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [McpServerTool(Name = "read_file", ReadOnly = true), Description("Read a text file from the sandbox folder.")]
    public string ReadFile([Description("File name, relative to the sandbox")] string path) =>
        File.ReadAllText(sandbox.Resolve(path));

    [McpServerTool(Name = "write_file", ReadOnly = false, Destructive = true), Description("Create or overwrite a text file in the sandbox folder.")]
    public string WriteFile([Description("File name, relative to the sandbox")] string path, [Description("The text to write")] string content)
    {
        File.WriteAllText(sandbox.Resolve(path), content);
        return $"wrote {content.Length} characters to {path}";
    }
}
