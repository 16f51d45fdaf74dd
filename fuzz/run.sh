#!/usr/bin/env bash
# Coverage-guided fuzzing of the wire code the gate decides on (SharpFuzz + AFL++).
#
#   fuzz/run.sh TARGET [SECONDS]      TARGET: inspector | listfilter | ssefilter   (default 300 s)
#   fuzz/run.sh TARGET --replay DIR   run saved inputs (a crash directory, the corpus) in-process
#
# Installs what it needs: afl++ (Debian package) and SharpFuzz.CommandLine 2.3.0 (a local dotnet tool under
# fuzz/.tools). Findings go to fuzz/.out/findings/TARGET; crashes are replayed at the end so their messages show.
# Every crash found becomes a named regression test (tests/McpGate.Gateway.Tests/Security). See docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: fuzz/run.sh inspector|listfilter|ssefilter [SECONDS | --replay DIR...]}"
out=fuzz/.out
bin="$out/bin"

if ! command -v afl-fuzz >/dev/null; then
  echo "installing afl++ ..."
  apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
fi

if [ ! -x fuzz/.tools/sharpfuzz ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path fuzz/.tools >/dev/null
fi

# A fresh publish each run: sharpfuzz instruments McpGate.Mcp.dll in place and refuses an instrumented one.
rm -rf "$bin"
dotnet publish fuzz/McpGate.Fuzz -c Release -o "$bin" --nologo -v quiet
fuzz/.tools/sharpfuzz "$bin/McpGate.Mcp.dll"

if [ "${2:-}" = "--replay" ]; then
  shift 2
  exec dotnet "$bin/McpGate.Fuzz.dll" "$target" --replay "$@"
fi

seconds="${2:-300}"
findings="$out/findings/$target"
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
export DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1
afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 10000 -m none -V "$seconds" -- dotnet "$bin/McpGate.Fuzz.dll" "$target" \
  > "$findings/afl.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs)' "$stats"
else
  tail -20 "$findings/afl.log"
  exit 1
fi

crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "$target: $crashes crash(es), $hangs hang(s) in $findings/default"
if [ "$crashes" -gt 0 ]; then
  dotnet "$bin/McpGate.Fuzz.dll" "$target" --replay "$findings/default/crashes" || true
  exit 1
fi
