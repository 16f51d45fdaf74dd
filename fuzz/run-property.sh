#!/usr/bin/env bash
# The gate's invariant properties (tests/McpGate.Gateway.Tests/Security), short or long.
#
#   fuzz/run-property.sh              the normal test sizes: 1,500 requests through the gate, 20,000 bodies in-process
#   fuzz/run-property.sh --long       1,000,000 of each (about 15-25 minutes on 2 cores)
#   fuzz/run-property.sh --seed SEED  replay the seed a failure printed (add --long for the same size)
#   fuzz/run-property.sh --minutes N  send requests through the gate for N minutes instead of counting them
#
# A failure prints CsCheck's seed and the smallest failing request it found. MCPGATE_FUZZ_THREADS=1 makes the blame
# for a forbidden execution exact (with more senders a concurrent request may be named).
set -euo pipefail
cd "$(dirname "$0")/.."
while [ $# -gt 0 ]; do
  case "$1" in
    --long) export MCPGATE_FUZZ_REQUESTS="${MCPGATE_FUZZ_REQUESTS:-1000000}" MCPGATE_FUZZ_BODIES="${MCPGATE_FUZZ_BODIES:-1000000}" ;;
    --seed) export MCPGATE_FUZZ_SEED="$2"; shift ;;
    --minutes) export MCPGATE_FUZZ_SECONDS=$(( $2 * 60 )) MCPGATE_FUZZ_REQUESTS=1000000000; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
log=$(mktemp)
status=0
dotnet test tests/McpGate.Gateway.Tests -c Release \
  --filter "FullyQualifiedName~Security.GateInvariantPropertyTests|FullyQualifiedName~Security.InspectorDifferentialPropertyTests" \
  --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
grep -vE "^\s*$|^\[xUnit.net|info: " "$log" || true
rm -f "$log"
exit "$status"
