-- wrk script for the McpGate load bench: one realistic MCP POST, the same for every target.
-- Environment (set by BenchRunner):
--   BENCH_KIND      call | list            (tools/call of a read tool, or tools/list)
--   BENCH_TOKEN     bearer token           (sent to every target; only McpGate reads it)
--   BENCH_SESSION   Mcp-Session-Id         (created by initialize through the same target; empty = none)
--   BENCH_PROTOCOL  MCP-Protocol-Version   (default 2025-11-25)
--   BENCH_DELAY_MS  pause per request on each connection (0 = closed loop, as fast as answered)
--   BENCH_UNIQUE_IDS 1 = every request gets its own JSON-RPC id (and progress token), as the spec asks within a
--                   session; a proxy that relays to one stdio process (supergateway) routes answers by id, so
--                   16 connections sending the same id would collide. 0 (default) = the fixed body, cheaper for wrk.
local kind = os.getenv("BENCH_KIND") or "call"
local token = os.getenv("BENCH_TOKEN") or ""
local session = os.getenv("BENCH_SESSION") or ""
local protocol = os.getenv("BENCH_PROTOCOL") or "2025-11-25"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local unique_ids = os.getenv("BENCH_UNIQUE_IDS") == "1"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = protocol
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
if session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
end

if kind == "list" then
  wrk.headers["Mcp-Method"] = "tools/list"
  wrk.body = '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}'
else
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "get_issue"
  wrk.body = '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_issue",'
    .. '"arguments":{"owner":"acme","repo":"gateway","issue_number":4217,"include":["labels","comments"]},'
    .. '"_meta":{"progressToken":"bench-3"}}}'
end

if unique_ids then
  -- Each wrk thread runs its own Lua state: the thread number keeps ids apart across threads.
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("thread_id", threads)
  end

  -- The body split around its id and progress token once, so a request costs two concatenations.
  local first, last = wrk.body:find('"id":%d+')
  local head = wrk.body:sub(1, first + 4)
  local rest = wrk.body:sub(last + 1)
  local token_at, token_end = rest:find('"bench%-3"')
  local middle = token_at and rest:sub(1, token_at - 1) or rest
  local tail = token_at and rest:sub(token_end + 1) or nil
  local counter = 0
  function request()
    counter = counter + 1
    local id = '"' .. (thread_id or 0) .. '-' .. counter .. '"'
    local unique = tail and (head .. id .. middle .. id .. tail) or (head .. id .. middle)
    return wrk.format(nil, nil, nil, unique)
  end
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
