using System.Text.RegularExpressions;
using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>
/// schema/servers.schema.json and the loader agree: every config in the repository (example, bench policy, the docs'
/// complete examples) passes both, and configs the loader refuses for their shape are refused by the schema too.
/// Every config another test loads through <see cref="Policies.Parse"/> is checked against the schema as well.
/// </summary>
public sealed partial class ServersSchemaTests
{
    // ${VAR} without a default (the bench's upstream URL) gets a value that fits where it is used.
    private static readonly Func<string, string?> s_environment = _ => "http://127.0.0.1:9/mcp";

    public static TheoryData<string> RepositoryConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var path in (string[])["servers.example.json", "bench/policy/servers.json", "bench/policy/servers-stdio.json"])
        {
            data.Add(path);
        }

        foreach (var doc in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            var blocks = DocConfigs(File.ReadAllText(doc));
            for (var i = 0; i < blocks.Count; i++)
            {
                data.Add($"{Path.GetRelativePath(RepositoryFiles.Root, doc)}#{i}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RepositoryConfigs))]
    public void RepositoryConfig_PassesLoaderAndSchema(string name)
    {
        var json = Read(name);

        var load = () => ConfigLoader.Parse(json, name, s_environment);

        load.Should().NotThrow();
        ServersSchema.Errors(json).Should().BeEmpty();
    }

    [Fact]
    public void ExampleConfig_PointsEditorsAtTheSchema()
    {
        var example = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "servers.example.json"));

        example.Should().Contain($"\"$schema\": \"./{ServersSchema.RelativePath}\"");
    }

    [Theory]
    [InlineData("no mcpServers", """{ "gateway": {} }""")]
    [InlineData("unknown top-level key", """{ "mcpServers": {}, "gatway": {} }""")]
    [InlineData("alias with __", """{ "mcpServers": { "git__hub": { "url": "http://127.0.0.1:1/mcp" } } }""")]
    [InlineData("url and command", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp", "command": "x" } } }""")]
    [InlineData("neither url nor command", """{ "mcpServers": { "a": { "headers": {} } } }""")]
    [InlineData("args on a url upstream", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp", "args": [] } } }""")]
    [InlineData("stdio sharing typo", """{ "mcpServers": { "a": { "command": "x", "stdio": { "sharing": "pooled" } } } }""")]
    [InlineData("stdio on a url upstream", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp", "stdio": {} } } }""")]
    [InlineData("stdio duration without unit", """{ "mcpServers": { "a": { "command": "x", "stdio": { "idleTimeout": "10" } } } }""")]
    [InlineData("relative url", """{ "mcpServers": { "a": { "url": "/mcp" } } }""")]
    [InlineData("misspelt grant key", """{ "mcpServers": {}, "serverAuth": { "acl": { "roles": { "dev": [ { "server": "*", "access": "read", "tool": ["x"] } ] } } } }""")]
    [InlineData("access in capitals", """{ "mcpServers": {}, "serverAuth": { "acl": { "roles": { "dev": [ { "server": "*", "access": "Read" } ] } } } }""")]
    [InlineData("empty tools list", """{ "mcpServers": {}, "serverAuth": { "acl": { "roles": { "dev": [ { "server": "*", "access": "read", "tools": [] } ] } } } }""")]
    [InlineData("rules with roles", """{ "mcpServers": {}, "serverAuth": { "acl": { "rules": [], "roles": {} } } }""")]
    [InlineData("legacy rule without policy", """{ "mcpServers": {}, "serverAuth": { "acl": { "rules": [ { "tools": ["*"] } ] } } }""")]
    [InlineData("unknown provider", """{ "mcpServers": {}, "serverAuth": { "providers": ["jwt"] } }""")]
    [InlineData("oauth without its section", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"] } }""")]
    [InlineData("oauth without issuer", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"], "oauth": { "resource": "https://gate.example.com" } } }""")]
    [InlineData("oauth issuer over plain http", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"], "oauth": { "issuer": "http://login.example.com", "resource": "https://gate.example.com" } } }""")]
    [InlineData("oauth resource with a query", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"], "oauth": { "issuer": "https://login.example.com", "resource": "https://gate.example.com/?x=1" } } }""")]
    [InlineData("oauth key misspelt", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"], "oauth": { "issuer": "https://login.example.com", "resource": "https://gate.example.com", "roleClaim": ["groups"] } } }""")]
    [InlineData("oauth roleMap to a string", """{ "mcpServers": {}, "serverAuth": { "providers": ["oauth"], "oauth": { "issuer": "https://login.example.com", "resource": "https://gate.example.com", "roleMap": { "sre": "admin" } } } }""")]
    [InlineData("forwarded without trustedProxies", """{ "mcpServers": {}, "serverAuth": { "providers": ["forwarded"], "forwarded": {} } }""")]
    [InlineData("short sha256 token", """{ "mcpServers": {}, "serverAuth": { "providers": ["bearer"], "bearer": { "tokens": { "sha256:abc": "bob" } } } }""")]
    [InlineData("listen on a host name", """{ "mcpServers": {}, "gateway": { "listen": "gw.internal:8080" } }""")]
    [InlineData("listen without port", """{ "mcpServers": {}, "gateway": { "listen": "127.0.0.1" } }""")]
    [InlineData("reserved deny code", """{ "mcpServers": {}, "gateway": { "denyErrorCode": -32001 } }""")]
    [InlineData("JSON-RPC deny code", """{ "mcpServers": {}, "gateway": { "denyErrorCode": -32601 } }""")]
    [InlineData("denyAs typo", """{ "mcpServers": {}, "gateway": { "denyAs": "toolerror" } }""")]
    [InlineData("zero timeout", """{ "mcpServers": {}, "gateway": { "timeouts": { "connectSeconds": 0 } } }""")]
    [InlineData("padded audit path", """{ "mcpServers": {}, "gateway": { "audit": { "path": " -" } } }""")]
    [InlineData("retained zero", """{ "mcpServers": {}, "gateway": { "audit": { "retainedFileCount": 0 } } }""")]
    [InlineData("origin with a path", """{ "mcpServers": {}, "gateway": { "allowedOrigins": ["http://localhost:6274/app"] } }""")]
    [InlineData("rate limit without a caller", """{ "mcpServers": {}, "gateway": { "rateLimits": [ { "limit": 1, "per": "1m" } ] } }""")]
    [InlineData("rate limit without a window", """{ "mcpServers": {}, "gateway": { "rateLimits": [ { "roles": ["dev"], "limit": 1 } ] } }""")]
    [InlineData("rate limit window without unit", """{ "mcpServers": {}, "gateway": { "rateLimits": [ { "roles": ["dev"], "limit": 1, "per": "60" } ] } }""")]
    [InlineData("rate limit of zero", """{ "mcpServers": {}, "gateway": { "rateLimits": [ { "roles": ["dev"], "limit": 0, "per": "1m" } ] } }""")]
    [InlineData("telemetry prometheus as a string", """{ "mcpServers": {}, "gateway": { "telemetry": { "prometheus": "yes" } } }""")]
    [InlineData("telemetry key typo", """{ "mcpServers": {}, "gateway": { "telemetry": { "promethus": true } } }""")]
    [InlineData("rate limit access typo", """{ "mcpServers": {}, "gateway": { "rateLimits": [ { "roles": ["dev"], "access": "writ", "limit": 1, "per": "1m" } ] } }""")]
    public void ShapeErrors_AreRefusedByLoaderAndSchema(string description, string json)
    {
        var load = () => ConfigLoader.Parse(json, description, _ => null);

        load.Should().Throw<ConfigLoadException>();
        ServersSchema.Errors(json).Should().NotBeEmpty(description);
    }

    private static string Read(string name)
    {
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0)
        {
            return File.ReadAllText(Path.Combine(RepositoryFiles.Root, name));
        }

        var blocks = DocConfigs(File.ReadAllText(Path.Combine(RepositoryFiles.Root, name[..hash])));
        return blocks[int.Parse(name[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
    }

    /// <summary>The docs' fenced json/jsonc blocks that are whole files (they start with '{' and hold mcpServers).</summary>
    private static List<string> DocConfigs(string markdown) =>
        FencedJson().Matches(markdown)
            .Select(m => m.Groups["body"].Value)
            .Where(body => body.TrimStart().StartsWith('{') && body.Contains("\"mcpServers\"", StringComparison.Ordinal) && !body.Contains("...", StringComparison.Ordinal))
            .ToList();

    [GeneratedRegex(@"^```jsonc?\s*\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedJson();
}
