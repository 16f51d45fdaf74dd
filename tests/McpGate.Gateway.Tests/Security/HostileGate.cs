using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// The real gate (standard policy) in front of a real SDK upstream of both eras, plus a live session that alice
/// opened, and a raw HTTP sender that checks the gate's invariants after every request it sends.
/// </summary>
internal sealed class HostileGate : IAsyncDisposable
{
    /// <summary>Every generated request carries this header; the upstream's spy files what reached it under it.</summary>
    public const string SequenceHeader = "X-Fuzz-Seq";

    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly McpClient _alice;
    private readonly McpClient _bob;
    private readonly McpClient _carol;
    private const int Slots = 64;
    private const int ForgetEvery = 2_000;

    private readonly Lock _reported = new();
    private readonly SemaphoreSlim _slots = new(Slots, Slots);
    private readonly SemaphoreSlim _forgetting = new(1, 1);
    private long _sequence;
    private int _reportedExecutions;
    private int _sinceForget;
    private long _forwarded;
    private long _executedBeforeForget;

    private HostileGate(TestUpstream upstream, RunningGate gate, McpClient alice, McpClient bob, McpClient carol, HttpClient http)
    {
        Upstream = upstream;
        Gate = gate;
        _alice = alice;
        _bob = bob;
        _carol = carol;
        _http = http;
    }

    public TestUpstream Upstream { get; }

    public RunningGate Gate { get; }

    public string AliceSessionId => _alice.SessionId!;

    /// <summary>Generated requests sent.</summary>
    public long Checked => Interlocked.Read(ref _sequence);

    /// <summary>Generated requests that reached the upstream.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Allowed tool calls whose bodies ran inside the upstream.</summary>
    public long ExecutedAllowedCalls => Interlocked.Read(ref _executedBeforeForget) + AllowedExecutions();

    public static async Task<HostileGate> StartAsync(string extraGateway = "")
    {
        var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Both });
        var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, extraGateway));
        var alice = await GateClients.ConnectAsync(gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        var carol = await GateClients.ConnectAsync(gate, GatePolicies.CarolToken, UpstreamEra.Stateful2025);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = s_answerTimeout,
        };
        return new HostileGate(upstream, gate, alice, bob, carol, http);
    }

    /// <summary>Sends <paramref name="request"/> and returns why the gate broke an invariant, or null.</summary>
    public async Task<string?> CheckAsync(HostileRequest request)
    {
        await _slots.WaitAsync();
        string? violation;
        try
        {
            violation = await CheckOneAsync(request);
        }
        finally
        {
            _slots.Release();
        }

        return violation ?? (Interlocked.Increment(ref _sinceForget) >= ForgetEvery ? await ForgetAsync() : null);
    }

    /// <summary>
    /// The spy keeps every request it saw and each check scans them, so a long run would slow down quadratically:
    /// every <see cref="ForgetEvery"/> checks, once no check is in flight, the spy is emptied (after a last look for
    /// a forbidden execution).
    /// </summary>
    private async Task<string?> ForgetAsync()
    {
        await _forgetting.WaitAsync();
        try
        {
            if (Volatile.Read(ref _sinceForget) < ForgetEvery)
            {
                return null;
            }

            for (var i = 0; i < Slots; i++)
            {
                await _slots.WaitAsync();
            }

            try
            {
                var late = NewForbiddenExecution();
                Interlocked.Add(ref _executedBeforeForget, AllowedExecutions());
                Upstream.Spy.Clear();
                lock (_reported)
                {
                    _reportedExecutions = 0;
                }

                Volatile.Write(ref _sinceForget, 0);
                return late;
            }
            finally
            {
                _slots.Release(Slots);
            }
        }
        finally
        {
            _forgetting.Release();
        }
    }

    private async Task<string?> CheckOneAsync(HostileRequest request)
    {
        var sequence = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        HttpResponseMessage response;
        byte[] answer;
        try
        {
            using var message = Build(request, sequence);
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            answer = await response.Content.ReadAsByteArrayAsync();
        }
        catch (TaskCanceledException)
        {
            return $"no answer within {s_answerTimeout.TotalSeconds} s";
        }
        catch (HttpRequestException ex)
        {
            return "the connection failed: " + ex.Message;
        }

        using (response)
        {
            var forwarded = Upstream.Spy.Requests.Where(r => r.Header(SequenceHeader) == sequence).ToList();
            Interlocked.Add(ref _forwarded, forwarded.Count);
            return Violation(request, response, answer, forwarded) ?? NewForbiddenExecution();
        }
    }

    /// <summary>
    /// A forbidden execution not reported yet. Reported once, to the request that was being checked when it was seen,
    /// so the requests after it are not all blamed (with <c>MCPGATE_FUZZ_THREADS=1</c> the blame is exact).
    /// </summary>
    private string? NewForbiddenExecution()
    {
        var seen = AccessOracle.ForbiddenExecutions(Upstream.Spy);
        lock (_reported)
        {
            if (seen <= _reportedExecutions)
            {
                return null;
            }

            _reportedExecutions = seen;
        }

        return AccessOracle.ForbiddenExecution(Upstream.Spy);
    }

    /// <summary>Sends <paramref name="request"/> and returns the response, for the named regression tests.</summary>
    public async Task<(HttpResponseMessage Response, string Body, IReadOnlyList<ObservedRequest> Forwarded)> SendAsync(HostileRequest request)
    {
        var sequence = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        using var message = Build(request, sequence);
        var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        return (response, body, Upstream.Spy.Requests.Where(r => r.Header(SequenceHeader) == sequence).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _slots.Dispose();
        _forgetting.Dispose();
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        await _carol.DisposeAsync();
        await Gate.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    private int AllowedExecutions() => HostileGen.AllowedTools.Sum(Upstream.Spy.ExecutedToolCount);

    private static string? Violation(HostileRequest request, HttpResponseMessage response, byte[] answer, List<ObservedRequest> forwarded)
    {
        var status = (int)response.StatusCode;
        // A 5xx is only ever the gate's 502 for an upstream that failed what it was sent, as a JSON-RPC error.
        if (status >= 500 && (status != 502 || forwarded.Count == 0 || JsonRpcShapeViolation(answer, response.Content.Headers.ContentType?.MediaType) is not null))
        {
            return $"HTTP {status} ({forwarded.Count} forwarded): {Encoding.UTF8.GetString(answer)}";
        }

        foreach (var seen in forwarded)
        {
            if (AccessOracle.ViolationIn(request.Caller, seen.Body) is { } violation)
            {
                return violation;
            }

            if (seen.HttpMethod == "POST" && !seen.Body.AsSpan().SequenceEqual(request.Body))
            {
                return "the upstream received other bytes than the gate inspected";
            }
        }

        if (request.Caller is Caller.Anonymous or Caller.WrongToken)
        {
            // Authentication comes first: whatever else the request carries, the answer is 401.
            return response.StatusCode == HttpStatusCode.Unauthorized ? null : $"an unauthenticated caller got HTTP {status}";
        }

        if (request.Session is SessionChoice.Alices or SessionChoice.Invented && (response.StatusCode != HttpStatusCode.NotFound || forwarded.Count > 0))
        {
            return $"a session id that is not bob's own got HTTP {status} and {forwarded.Count} forwarded request(s)";
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (forwarded.Count == 0)
        {
            // The gate answered itself: always a JSON-RPC message (or a batch of them), never a bare status.
            return status == 202 ? null : JsonRpcShapeViolation(answer, mediaType);
        }

        return null;
    }

    private static string? JsonRpcShapeViolation(byte[] answer, string? mediaType)
    {
        if (!string.Equals(mediaType, "application/json", StringComparison.Ordinal))
        {
            return $"the gate answered with content type {mediaType ?? "(none)"}";
        }

        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            var messages = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new List<JsonElement> { root };
            foreach (var message in messages)
            {
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0"
                    || !(message.TryGetProperty("error", out _) || message.TryGetProperty("result", out _))
                    || !message.TryGetProperty("id", out _))
                {
                    return "the gate answered with something that is not a JSON-RPC response: " + Encoding.UTF8.GetString(answer);
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "the gate answered with invalid JSON: " + Encoding.UTF8.GetString(answer);
        }
    }

    private HttpRequestMessage Build(HostileRequest request, string sequence)
    {
        var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = null;
        if (request.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.ContentEncoding is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", request.ContentEncoding);
        }

        var message = new HttpRequestMessage(new HttpMethod(request.Verb), Gate.McpUrl("files")) { Content = content };
        message.Headers.Accept.ParseAdd("application/json");
        message.Headers.Accept.ParseAdd("text/event-stream");
        message.Headers.TryAddWithoutValidation(SequenceHeader, sequence);
        var token = request.Caller switch
        {
            Caller.Bob => GatePolicies.BobToken,
            Caller.Carol => GatePolicies.CarolToken,
            Caller.WrongToken => "not-a-token-" + sequence,
            _ => null,
        };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        switch (request.Session)
        {
            case SessionChoice.Alices:
                message.Headers.TryAddWithoutValidation("Mcp-Session-Id", AliceSessionId);
                break;
            case SessionChoice.Own when request.Caller is Caller.Bob or Caller.Carol:
                message.Headers.TryAddWithoutValidation("Mcp-Session-Id", (request.Caller == Caller.Bob ? _bob : _carol).SessionId);
                break;
            case SessionChoice.Invented:
                message.Headers.TryAddWithoutValidation("Mcp-Session-Id", "invented-" + sequence);
                break;
            default:
                break;
        }

        if (request.ProtocolVersion is not null)
        {
            message.Headers.TryAddWithoutValidation("MCP-Protocol-Version", request.ProtocolVersion);
        }

        foreach (var (name, value) in request.McpHeaders)
        {
            // Header values must be ASCII on the wire; a look-alike name is sent percent-free as its escaped form.
            message.Headers.TryAddWithoutValidation(name, IsAscii(value) ? value : Uri.EscapeDataString(value));
        }

        return message;
    }

    private static bool IsAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
