using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>gateway.md §1.2 step 8 for a paginated <c>tools/list</c> (two tools a page, four pages).</summary>
[Trait("Category", "Network")]
public sealed class PaginatedToolsListTests : IAsyncLifetime
{
    private static readonly string[] s_bobsTools = ["read_file", "list_files", "web_search", "get_weather"];

    private readonly HttpClient _http = new();
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026, ToolsPageSize = 2 });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl));
        await _gate.CatalogReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task EveryPage_IsFilteredOnItsOwn_AndItsNextCursorIsPassedUnchanged()
    {
        string? cursor = null;
        var pages = 0;
        do
        {
            var request = ToolsList(cursor);
            var direct = await GateHttp.PostAsync(_http, _upstream.McpUrl, request, token: null);
            var gated = await GateHttp.PostAsync(_http, _gate.McpUrl("files"), request, GatePolicies.BobToken);

            var upstreamNames = Names(direct.Result);
            Names(gated.Result).Should().Equal(upstreamNames.Where(s_bobsTools.Contains), $"page {pages} keeps only bob's tools, in order");
            NextCursor(gated.Result).Should().Be(NextCursor(direct.Result), $"page {pages}'s cursor is the upstream's");
            cursor = NextCursor(gated.Result);
            pages++;
        }
        while (cursor is not null);

        pages.Should().Be(4);
    }

    [Fact]
    public async Task SdkClientListTools_GetsExactlyTheVisibleToolsAcrossAllPages()
    {
        await using var bob = await GateClients.ConnectAsync(_gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);
        _upstream.Spy.Clear();

        var tools = await bob.ListToolsAsync();

        tools.Select(t => t.Name).Should().Equal(s_bobsTools);
        _upstream.Spy.RequestsFor("tools/list").Should().HaveCount(4, "the client followed every cursor, through pages the gate emptied");
    }

    private static string ToolsList(string? cursor) => cursor is null
        ? """{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""
        : $$$"""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":{{{JsonSerializer.Serialize(cursor)}}}}}""";

    private static List<string> Names(JsonElement result) =>
        [.. result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

    private static string? NextCursor(JsonElement result) =>
        result.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
}
