using McpGate.Gateway.Inspection;

namespace McpGate.Gateway.Tests.Inspection;

public sealed class DecisionIdsTests
{
    [Fact]
    public void New_IsAVersion7UuidIn32LowercaseHexDigits()
    {
        var id = DecisionIds.New();

        id.Should().MatchRegex("^[0-9a-f]{32}$");
        var guid = Guid.ParseExact(id, "N");
        guid.Version.Should().Be(7);
        (guid.Variant & 0xC).Should().Be(0x8, "the RFC 9562 variant is 10xx");
    }

    [Fact]
    public void New_CarriesTheTimeInItsFirst48Bits()
    {
        var at = new DateTimeOffset(2026, 11, 22, 23, 59, 58, 123, TimeSpan.Zero);

        var id = DecisionIds.New(at);

        Convert.ToInt64(id[..12], 16).Should().Be(at.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void New_SortsByTime()
    {
        var at = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        var earlier = DecisionIds.New(at.AddMilliseconds(1));
        var later = DecisionIds.New(at.AddMilliseconds(2));

        string.CompareOrdinal(earlier, later).Should().BeNegative();
    }

    [Fact]
    public async Task New_IsUniqueAcrossThreadsWithinOneMillisecond()
    {
        var at = DateTimeOffset.UtcNow;
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var ids = new string[50_000];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = DecisionIds.New(at);
            }

            return ids;
        })));

        batches.SelectMany(b => b).Should().OnlyHaveUniqueItems();
    }
}
