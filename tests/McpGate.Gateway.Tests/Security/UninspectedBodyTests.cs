using System.Net;
using System.Net.Http.Headers;
using System.Text;
using McpGate.Gateway.Tests.Functional;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Regression: GET and DELETE pass the gate without body inspection, and a denied call sent as their body used to
/// reach the upstream byte for byte (the SDK ignores it; an upstream that reads bodies on any method would not).
/// </summary>
[Trait("Category", "Network")]
public sealed class UninspectedBodyTests : IAsyncLifetime
{
    private HostileGate _gate = null!;

    public async Task InitializeAsync() => _gate = await HostileGate.StartAsync();

    public async Task DisposeAsync() => await _gate.DisposeAsync();

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task BodyOnAMethodTheGateDoesNotInspect_IsRefused_AndNeverForwarded(string verb)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(new HttpMethod(verb), _gate.Gate.McpUrl("files"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"/public/notes.txt"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatePolicies.BobToken);
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation(HostileGate.SequenceHeader, "uninspected-" + verb);

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _gate.Upstream.Spy.Requests.Should().NotContain(r => r.Header(HostileGate.SequenceHeader) == "uninspected-" + verb);
    }
}
