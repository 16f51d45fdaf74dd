#!/usr/bin/env bash
# McpGate performance bench (issue 6). One command, prints a table, writes a JSON summary.
#
#   bench/run.sh                 micro (BenchmarkDotNet) + load (wrk: direct, bare YARP, McpGate; in tools/call also
#                                McpGate with OAuth, with metrics, with traces; stdio: McpGate, supergateway)
#   bench/run.sh --write-docs    the same, then rewrites the generated section of docs/performance.md
#   bench/run.sh --quick         smoke test for CI (about 2 minutes): BenchmarkDotNet dry job + a 2 s load run per target;
#                                uses the Debug build `dotnet build` made; numbers mean nothing
#   bench/run.sh --soak          10 minutes of tools/call through McpGate: RSS and audit lines, start vs end
#   --micro-only / --load-only   run one half
#
# Results: bench/results/<mode>/{micro.json,load.json,summary.json,logs/}. Exit 0 when the bench ran (targets that
# were missed are reported in the table, not failed); non-zero when anything in it failed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
command_line="bench/run.sh${*:+ $*}"

mode=default
write_docs=0
run_micro=1
run_load=1
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --soak) mode=soak; run_micro=0 ;;
    --write-docs) write_docs=1 ;;
    --micro-only) run_load=0 ;;
    --load-only) run_micro=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $mode == quick && $write_docs == 1 ]]; then
  echo "bench/run.sh: --write-docs needs real numbers; it cannot be combined with --quick" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=Release
[[ $mode == quick ]] && configuration=Debug
results="$repo/bench/results/$mode"
mkdir -p "$results"
started=$SECONDS

step() { printf '\n::: %s (%ds)\n' "$1" "$((SECONDS - started))"; }

# Pinning: with two or more CPUs the proxy under test gets CPU 0 and everything else (wrk, FastUpstream, the
# runner, BenchmarkDotNet) CPU 1, so the proxy's cost is not hidden by the load generator competing with it.
pin=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  pin=(taskset -c 1)
fi

if (( run_load )) && ! command -v wrk >/dev/null; then
  step "installing wrk"
  if (( EUID == 0 )); then
    apt-get update && apt-get install -y wrk
  else
    sudo apt-get update && sudo apt-get install -y wrk
  fi
fi

step "building ($configuration)"
dotnet build bench/bench.slnf -c "$configuration" -nologo -v quiet -clp:ErrorsOnly

runner="$repo/bench/BenchRunner/bin/$configuration/net10.0/BenchRunner.dll"
micro_json="$results/micro.json"
load_json="$results/load.json"
[[ $mode == soak ]] && load_json="$results/load-soak.json"
rm -f "$results/summary.json"
(( run_micro )) && rm -f "$micro_json"
(( run_load )) && rm -f "$load_json"

if (( run_micro )); then
  step "micro benchmarks (BenchmarkDotNet${pin:+, pinned to CPU 1})"
  micro_args=(--out "$micro_json" --artifacts "$results/BenchmarkDotNet.Artifacts")
  [[ $mode == quick ]] && micro_args+=(--quick)
  # In-process, all cases share one runtime: without this the first case of a class can be measured while its code
  # still waits in the tiering queue (an instrumented tier several times slower), which BenchmarkDotNet's warm-up
  # does not always outlast on a busy two-core machine.
  DOTNET_TC_CallCountingDelayMs=0 "${pin[@]}" dotnet "bench/McpGate.Benchmarks/bin/$configuration/net10.0/McpGate.Benchmarks.dll" "${micro_args[@]}" \
    > "$results/micro.log" 2>&1 || { tail -40 "$results/micro.log" >&2; echo "micro benchmarks failed; see $results/micro.log" >&2; exit 1; }
  grep -E '^\|' "$results/micro.log" || true
  if [[ $mode == quick ]]; then
    # The acl replay entry is measured by hand (docs/performance.md#acl-replay); quick mode only proves it still runs.
    dotnet "bench/McpGate.Benchmarks/bin/$configuration/net10.0/McpGate.Benchmarks.dll" --replay 2000 > "$results/replay.log" 2>&1 \
      || { cat "$results/replay.log" >&2; echo "replay bench failed" >&2; exit 1; }
  fi
fi

if (( run_load )); then
  step "load ($mode)"
  "${pin[@]}" dotnet "$runner" load --mode "$mode" --repo "$repo" --configuration "$configuration" --results "$results"
fi

step "report"
report_args=(report --mode "$mode" --repo "$repo" --results "$results" --command "$command_line" --micro "$micro_json" --load "$load_json")
(( write_docs )) && report_args+=(--write-docs)
dotnet "$runner" "${report_args[@]}"
printf '\nbench finished in %d s\n' "$((SECONDS - started))"
