#!/usr/bin/env bash
# The test command of README: installs what the tests need on a fresh machine, then runs
# the whole suite (format lint, unit and property tests, the example package, the docs build).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# zlib1g-dev and dataset-fashion-mnist: FEELTraining (gzip'd IDX files, the real data set).
for pkg in libglpk-dev liblapack-dev liblapacke-dev zlib1g-dev dataset-fashion-mnist; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== format lint"
swift format lint --strict -r Sources Tests Examples

echo "== build and test"
swift build
swift test

echo "== feel train --quick end to end (release build; the optimum must reach 70 % test accuracy)"
swift build -c release --product feel
.build/release/feel train --quick --json > .build/train-quick.json
python3 - .build/train-quick.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run = next(r for r in d["runs"] if r["scheme"] == "optimal")
acc = run["records"][-1]["testAccuracy"]
print(f"optimal, {run['rounds']} rounds, {run['clockSeconds']:.0f} simulated s: test accuracy {acc:.4f}")
sys.exit(0 if acc >= 0.70 else f"feel train --quick: optimum reached only {acc:.4f} < 0.70")
PY

echo "== fuzzing (libFuzzer, bounded: 30 s; scripts/fuzz.sh SECONDS for longer runs)"
# A fixed seed (CI runs the same mutations each time); the full log stays in .build/fuzz.log.
if scripts/fuzz.sh 30 -seed=1 >.build/fuzz.log 2>&1; then
  grep -E "^(== |stat::|all )|Done [0-9]+ runs" .build/fuzz.log || true
else
  tail -n 60 .build/fuzz.log
  exit 1
fi

echo "== example package (depends on this one by path)"
( cd Examples/QuickStart && swift run --scratch-path ../../.build-example quickstart )

echo "== benchmark suites build (separate package; run them with swift package --package-path Benchmarks benchmark)"
swift build --package-path Benchmarks -c release

if [ -x scripts/docs.sh ]; then
  echo "== documentation"
  scripts/docs.sh
fi
