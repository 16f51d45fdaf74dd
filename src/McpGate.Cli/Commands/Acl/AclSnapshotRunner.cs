using System.Text;
using McpGate.Cli.Output;
using McpGate.Mcp.Discovery;
using McpGate.Configuration;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The body of <c>mcp acl snapshot</c>: discover concurrently, then write the file only if all succeeded.</summary>
internal static class AclSnapshotRunner
{
    public static async Task<int> RunAsync(
        string? configPath,
        IReadOnlyList<string> serverAliases,
        string outputPath,
        bool json,
        double? timeoutSeconds,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var config = PolicyConfig.Load(configPath);
        var upstreams = new List<UpstreamConfig>();
        foreach (var alias in serverAliases.Distinct(StringComparer.Ordinal))
        {
            upstreams.Add(PolicyConfig.GetServer(config, alias));
        }

        if (serverAliases.Count == 0)
        {
            upstreams.AddRange(config.Servers.Values);
        }

        var timeout = UpstreamTools.ResolveTimeout(timeoutSeconds, config.Gateway.DiscoveryTimeout);
        var discoveries = upstreams.Select(u => DiscoverAsync(u, timeout, cancellationToken)).ToArray();
        var results = await Task.WhenAll(discoveries);
        var failed = false;
        foreach (var (_, failure) in results)
        {
            if (failure is not null)
            {
                await error.WriteLineAsync(failure);
                failed = true;
            }
        }

        if (failed)
        {
            await error.WriteLineAsync("mcp: no snapshot written.");
            return ExitCodes.DiscoveryFailed;
        }

        var surfaces = results.Select(r => r.Surface!).ToList();
        using (var text = new StringWriter())
        {
            SnapshotJson.Write(text, surfaces);
            if (outputPath == "-")
            {
                await output.WriteAsync(text.ToString());
                return ExitCodes.Success;
            }

            try
            {
                await File.WriteAllTextAsync(outputPath, text.ToString(), new UTF8Encoding(false), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException(ExitCodes.Usage, $"mcp: cannot write the snapshot {Path.GetFullPath(outputPath)}: {ex.Message}");
            }
        }

        WriteSummary(output, json, Path.GetFullPath(outputPath), surfaces);
        return ExitCodes.Success;
    }

    private static async Task<(DiscoveredSurface? Surface, string? Failure)> DiscoverAsync(
        UpstreamConfig upstream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return (await UpstreamTools.WithClientAsync(upstream, (client, url) =>
                client.DiscoverSurfaceAsync(upstream.Alias, url, upstream.Headers, timeout, cancellationToken)), null);
        }
        catch (DiscoveryException ex)
        {
            return (null, "mcp: " + ex.Message);
        }
    }

    private static void WriteSummary(TextWriter output, bool json, string path, List<DiscoveredSurface> surfaces)
    {
        var ordered = surfaces.OrderBy(s => s.Server, StringComparer.Ordinal).ToList();
        if (json)
        {
            JsonOutput.Write(output, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("file", path);
                writer.WriteStartArray("servers");
                foreach (var surface in ordered)
                {
                    writer.WriteStartObject();
                    writer.WriteString("server", surface.Server);
                    writer.WriteNumber("tools", surface.Tools.Count);
                    writer.WriteNumber("prompts", surface.Prompts.Count);
                    writer.WriteNumber("resources", surface.Resources.Count);
                    writer.WriteNumber("resource_templates", surface.ResourceTemplates.Count);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }

        var table = new TextTable("SERVER", "TOOLS", "PROMPTS", "RESOURCES", "TEMPLATES");
        foreach (var surface in ordered)
        {
            table.AddRow(surface.Server, Count(surface.Tools.Count), Count(surface.Prompts.Count), Count(surface.Resources.Count), Count(surface.ResourceTemplates.Count));
        }

        table.Write(output);
        output.WriteLine();
        output.WriteLine($"Wrote {path}");
    }

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
