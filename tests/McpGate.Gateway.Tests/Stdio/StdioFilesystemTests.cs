using FluentAssertions;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>
/// The real @modelcontextprotocol/server-filesystem, started by the gate as a stdio upstream, driven by the official
/// C# SDK client through the gate: the same policy path as an HTTP upstream (docs/stdio.md).
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Slow")]
public sealed class StdioFilesystemTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpgate-stdio-" + Guid.NewGuid().ToString("N"));
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        await StdioPeers.EnsureInstalledAsync();
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, "notes.txt"), "hello from the sandbox");
        _gate = await RunningGate.StartAsync(StdioPeers.Filesystem(_root));
    }

    public async Task DisposeAsync()
    {
        await _gate.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_reader_lists_only_read_tools_reads_a_file_and_is_denied_write_file_before_it_runs()
    {
        await using var reader = await StdioPeers.ConnectAsync(_gate, GatePolicies.BobToken);

        var tools = (await reader.ListToolsAsync()).Select(t => t.Name).ToList();
        tools.Should().Contain("read_text_file").And.NotContain("write_file").And.NotContain("edit_file");

        var read = await reader.CallToolAsync("read_text_file", new Dictionary<string, object?> { ["path"] = Path.Combine(_root, "notes.txt") });
        read.IsError.Should().NotBe(true);
        read.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("hello from the sandbox");

        var target = Path.Combine(_root, "written.txt");
        var denied = async () => await reader.CallToolAsync("write_file", new Dictionary<string, object?> { ["path"] = target, ["content"] = "x" });
        await denied.Should().ThrowAsync<McpException>();
        File.Exists(target).Should().BeFalse("a denied call never reaches the child");

        var lines = await _gate.WaitForAuditLinesAsync(l => l.Any(x => x.GetProperty("tool").GetString() == "read_text_file"));
        lines.Should().Contain(l => l.GetProperty("tool").GetString() == "write_file" && l.GetProperty("result").GetString() == "capability_denied");
    }

    [Fact]
    [Trait("Category", "Network")]
    public async Task The_TypeScript_sdk_client_lists_read_tools_reads_a_file_and_is_denied_write_file()
    {
        var target = Path.Combine(_root, "written-by-ts.txt");

        var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync("stdio-flows.mjs", new Dictionary<string, string>
        {
            ["GATE_URL"] = _gate.McpUrl("files").ToString(),
            ["READER_TOKEN"] = GatePolicies.BobToken,
            ["READ_PATH"] = Path.Combine(_root, "notes.txt"),
            ["READ_TEXT"] = "hello from the sandbox",
            ["WRITE_PATH"] = target,
        });

        var output = stdout + stderr;
        exitCode.Should().Be(0, output);
        output.Should().Contain("all flows passed");
        File.Exists(target).Should().BeFalse("a denied call never reaches the child");
        var lines = await _gate.WaitForAuditLinesAsync(l => l.Any(x => x.GetProperty("tool").GetString() == "write_file"));
        lines.Should().Contain(l => l.GetProperty("tool").GetString() == "write_file" && l.GetProperty("result").GetString() == "capability_denied");
    }

    [Fact]
    public async Task A_writer_creates_the_file()
    {
        await using var writer = await StdioPeers.ConnectAsync(_gate, GatePolicies.AliceToken);
        var target = Path.Combine(_root, "written.txt");

        var result = await writer.CallToolAsync("write_file", new Dictionary<string, object?> { ["path"] = target, ["content"] = "by alice" });

        result.IsError.Should().NotBe(true);
        (await File.ReadAllTextAsync(target)).Should().Be("by alice");
        var lines = await _gate.WaitForAuditLinesAsync(l => l.Any(x => x.GetProperty("tool").GetString() == "write_file"));
        lines.Should().Contain(l => l.GetProperty("tool").GetString() == "write_file" && l.GetProperty("result").GetString() == "ok");
    }
}
