using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// What the upstream receives for an allowed call: the bytes the gate inspected, sent from the gate's buffer with the
/// caller's content headers and a Content-Length, however the caller framed its body.
/// </summary>
[Trait("Category", "Network")]
public sealed class ForwardedBodyTests
{
    private const string Call = """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/public/notes.txt"}}}""";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task AllowedCall_ReachesTheUpstreamAsTheInspectedBytes_WithACanonicalContentType(bool chunked, bool expectContinue)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var bytes = Encoding.UTF8.GetBytes(Call);
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = chunked ? new UnknownLengthContent(bytes) : new ByteArrayContent(bytes),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        request.Content.Headers.ContentLanguage.Add("en");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatePolicies.BobToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.ExpectContinue = expectContinue;

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("remember the milk");
        var seen = upstream.Spy.Requests.Should().ContainSingle(r => r.ToolName == "read_file").Subject;
        seen.Body.Should().Equal(bytes);
        seen.Header("Content-Type").Should().Be("application/json", "the gate read UTF-8 JSON and tells the upstream exactly that");
        seen.Header("Content-Language").Should().Be("en");
        seen.Header("Content-Length").Should().Be(bytes.Length.ToString(CultureInfo.InvariantCulture));
        seen.Header("Transfer-Encoding").Should().BeNull();
        seen.Header("Expect").Should().BeNull("the gate already holds the body, so the upstream has nothing to let through");
    }

    /// <summary>A body HttpClient must send chunked, as a streaming caller would.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes, 0, bytes.Length);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
