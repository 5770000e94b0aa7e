#!/usr/bin/env bash
# Fuzzes the scenario reader, the solver and the verifier with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Compiles ConvexCore + FEEL + Tests/Fuzz/ScenarioFuzzer.swift into one libFuzzer binary
# (-sanitize=fuzzer,address, -O), runs it on a copy of the committed seed corpus
# (Tests/Fuzz/corpus) for SECONDS (default 30) with a 10 s per-input timeout, then runs
# the `feel` CLI on every seed (FUZZ_CLI_ALL=1: also on every input the fuzzer kept) and
# checks that it exits with 0, 2 or 3 only.
# Crash inputs land in .build/fuzz/ (crash-*, timeout-*); commit them as regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
out=.build/fuzz
mkdir -p "$out/corpus"
cp Tests/Fuzz/corpus/* "$out/corpus/"
if [ ! -x "$out/scenario-fuzzer" ] || [ -n "$(find Sources/ConvexCore Sources/FEEL Tests/Fuzz -newer "$out/scenario-fuzzer" -name '*.swift' | head -1)" ]; then
  echo "== building the fuzzer"
  flags=(-sanitize=fuzzer,address -parse-as-library -O -wmo -package-name FEEL)
  swiftc "${flags[@]}" -module-name ConvexCore -emit-module -emit-module-path "$out/ConvexCore.swiftmodule" \
    -c Sources/ConvexCore/*.swift -o "$out/ConvexCore.o"
  swiftc "${flags[@]}" -module-name FEEL -I "$out" \
    $(find Sources/FEEL -name '*.swift' | sort) Tests/Fuzz/ScenarioFuzzer.swift "$out/ConvexCore.o" \
    -o "$out/scenario-fuzzer" 2>&1 | { grep -v "Cannot export local symbol" || true; }
fi
echo "== fuzzing for ${seconds} s"
( cd "$out" && ./scenario-fuzzer -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$@" corpus )

echo "== feel on the seed corpus: exit status 0, 2 or 3 only"
swift build --product feel >/dev/null
feel="$(swift build --show-bin-path)/feel"
bad=0
# FUZZ_CLI_ALL=1 also runs feel on every input the fuzzer kept (.build/fuzz/corpus).
inputs=(Tests/Fuzz/corpus/*)
[ "${FUZZ_CLI_ALL:-0}" = 1 ] && inputs+=("$out"/corpus/*)
for f in "${inputs[@]}"; do
  set +e
  "$feel" "$f" --json >/dev/null 2>&1
  rc=$?
  set -e
  case "$rc" in 0|2|3) ;; *) echo "feel $f exited $rc"; bad=1 ;; esac
done
[ "$bad" -eq 0 ] && echo "all ${#inputs[@]} inputs: exit 0, 2 or 3"
exit "$bad"
