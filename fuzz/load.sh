#!/usr/bin/env bash
# Load through the real gate: 200 concurrent clients (MCPGATE_LOAD_CLIENTS) for 60 s (MCPGATE_LOAD_SECONDS) of mixed
# allowed and denied calls. Passes when no call got a 5xx, every call got exactly one audit line, and the managed
# heap ended within 64 MiB of its baseline; prints calls/s and the heap samples. The normal test run does 5 s.
#
#   fuzz/load.sh [SECONDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
export MCPGATE_LOAD_SECONDS="${1:-60}" MCPGATE_LOAD_CLIENTS="${2:-200}"
log=$(mktemp)
status=0
dotnet test tests/McpGate.Gateway.Tests -c Release --filter "FullyQualifiedName~Faults.LoadTests" \
  --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
grep -E "clients,|audit lines|Passed!|Failed!|Error Message|Expected" "$log" || true
rm -f "$log"
exit "$status"
