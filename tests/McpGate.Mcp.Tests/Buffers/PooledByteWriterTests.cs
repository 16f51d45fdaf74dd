using System.Buffers;
using McpGate.Mcp.Buffers;

namespace McpGate.Mcp.Tests.Buffers;

public sealed class PooledByteWriterTests
{
    [Fact]
    public void Write_BeyondTheInitialCapacity_KeepsEveryByteInOrder()
    {
        var expected = Enumerable.Range(0, 5_000).Select(i => (byte)(i % 251)).ToArray();
        using var writer = new PooledByteWriter(16);

        for (var offset = 0; offset < expected.Length; offset += 700)
        {
            writer.Write(expected.AsSpan(offset, Math.Min(700, expected.Length - offset)));
        }

        writer.WrittenSpan.ToArray().Should().Equal(expected);
    }
}
