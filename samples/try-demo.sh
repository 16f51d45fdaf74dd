#!/usr/bin/env bash
# Talks to the demo gate (dotnet run --project samples/McpGate.Demo) with curl, as a stateless 2026-07-28 MCP client.
# Usage: samples/try-demo.sh [GATE_URL]   (default http://127.0.0.1:8080)
set -euo pipefail
gate=${1:-http://127.0.0.1:8080}
meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"try-demo","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}'

# call ALIAS TOKEN METHOD [NAME] [ARGUMENTS-JSON]
call() {
  local alias=$1 token=$2 method=$3 name=${4:-} args=${5:-'{}'} params
  if [ -n "$name" ]; then params="{\"name\":\"$name\",\"arguments\":$args,$meta}"; else params="{$meta}"; fi
  curl -s "$gate/mcp/$alias" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2026-07-28' \
    -H "Mcp-Method: $method" ${name:+-H "Mcp-Name: $name"} \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$method\",\"params\":$params}" |
    sed -n 's/^data: //; /^{/p'   # the answer may come as JSON or as an SSE event
  echo
}

names() { grep -o '"name":"[^"]*","description"' | cut -d'"' -f4 | paste -sd' ' -; }

echo "== bob (readonly) lists grafana's tools: only the reads are shown"
call grafana bob-demo-token tools/list | names
echo "== ops-admin (admin) lists the same upstream: everything"
call grafana admin-demo-token tools/list | names
echo "== bob runs a read: allowed, grafana answers"
call grafana bob-demo-token tools/call query_prometheus '{"expr":"up"}' | cut -c1-200   # cut reads to the end: head would close the pipe early (SIGPIPE under pipefail)
echo "== bob tries a write: refused by the gate before grafana sees it"
call grafana bob-demo-token tools/call update_dashboard '{"uid":"ops","title":"x"}'
echo "== charlie may do everything on databricks by an extra grant, but no-prod denies its writes"
call databricks charlie-demo-token tools/call execute_sql '{"statement":"DROP TABLE users"}'
echo "== files is a stdio server the gate started (dotnet ... --stdio-files): bob lists only its reads"
call files bob-demo-token tools/list | names
echo "== bob reads a file of the sandbox: allowed"
call files bob-demo-token tools/call read_file '{"path":"hello.txt"}'
echo "== bob tries to write one: refused by the gate, the server never sees it (no bob.txt in the sandbox)"
call files bob-demo-token tools/call write_file '{"path":"bob.txt","content":"x"}'
echo "== ops-admin (admin) writes one: allowed"
call files admin-demo-token tools/call write_file '{"path":"admin.txt","content":"written through the gate"}'
echo "== the audit log has every decision (last 3):"
tail -n 3 audit/mcpgate-*.jsonl 2>/dev/null | cut -c1-220 || echo "(run from the repository root to see audit/)"
