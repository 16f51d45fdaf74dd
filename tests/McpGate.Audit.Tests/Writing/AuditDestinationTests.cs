using McpGate.Audit;
using McpGate.Audit.Tests.Support;
using McpGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using McpGate.Testing;

namespace McpGate.Audit.Tests.Writing;

public sealed class AuditDestinationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Resolve_Dash_IsStdout()
    {
        AuditDestination.Resolve(new AuditSettings(), "-").IsStdout.Should().BeTrue();
    }

    [Fact]
    public void Resolve_Override_WinsOverConfiguredPath()
    {
        var destination = AuditDestination.Resolve(new AuditSettings { Path = "-" }, _directory.Combine("a-.jsonl"));

        destination.Pattern.Should().Be(_directory.Combine("a-.jsonl"));
    }

    [Fact]
    public void Resolve_ExistingDirectory_WritesMcpgateFilesInsideIt()
    {
        var destination = AuditDestination.Resolve(new AuditSettings(), _directory.Path);

        destination.Pattern.Should().Be(_directory.Combine("mcpgate-.jsonl"));
    }

    [Fact]
    public void Resolve_DefaultSettings_IsAuditDirectoryUnderWorkingDirectory()
    {
        var destination = AuditDestination.Resolve(new AuditSettings(), null);

        destination.Pattern.Should().Be(Path.Combine(Environment.CurrentDirectory, "audit", "mcpgate-.jsonl"));
        destination.RetainedFileCount.Should().Be(31);
    }

    [Fact]
    public void Resolve_ZeroRetainedFiles_KeepsEveryFile()
    {
        AuditDestination.Resolve(new AuditSettings { RetainedFileCount = 0 }, null).RetainedFileCount.Should().BeNull();
    }

    [Fact]
    public void AddMcpGateAudit_DisposingTheContainer_ClosesTheFileWithEveryLineWritten()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMcpGateAudit(new AuditSettings(), _directory.Path, "servers.json");
        var provider = services.BuildServiceProvider();
        var log = provider.GetRequiredService<IAuditLog>();
        provider.GetRequiredService<IAuditHealth>().Should().BeSameAs(log);
        log.Write(new AuditRecord { Timestamp = DateTimeOffset.UtcNow, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok });

        provider.Dispose();

        var file = Directory.GetFiles(_directory.Path, "*.jsonl").Should().ContainSingle().Subject;
        using var exclusive = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        exclusive.Length.Should().BeGreaterThan(0);
    }
}
