#!/usr/bin/env bash
# Closes the loop of the loss-decay measurement: measures ΔL(B) on Fashion-MNIST with
# `feel fit-loss` (default protocol, seed 1), takes the AIC-preferred fit as the lossDecay
# model, and trains the `optimal` policy of the default Table I scenario twice with the
# same seeds, partitions, data and simulated time budget: optimized under the paper's √B
# model, and optimized under the measured model (`--loss-decay`). Prints both summaries
# and the times to target side by side. About 8 minutes on a loaded 2-core machine.
#
# The article also reports a second probe at the training's learning-rate rule, trained the
# same way: `feel fit-loss --json --base-batch 32 --learning-rate 0.05`, its saturating fit
# as --loss-decay.
#
# Usage: scripts/close-the-loop.sh [OUTDIR]   (needs jq; default OUTDIR .build/close-the-loop)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/close-the-loop}
mkdir -p "$out"
swift build -c release --product feel
feel=.build/release/feel

"$feel" fit-loss --json >"$out/fit.json"
preferred=$(jq -r .preferredModel "$out/fit.json")
jq --arg m "$preferred" '.fits[] | select(.model == $m)
  | if .model == "saturating" then {model, maxDecrease, noiseBatch}
    else {model, coefficient, exponent} end' "$out/fit.json" >"$out/measured.json"
echo "AIC-preferred model: $(jq -c . "$out/measured.json")"

study=(train --scheme optimal --partition both --seed 1 --seeds 5 --time-budget 60000
  --evaluate-every 2)
"$feel" "${study[@]}" --output "$out/study-sqrt.json"
"$feel" "${study[@]}" --loss-decay "$out/measured.json" --output "$out/study-measured.json"

row='.summary[] | [.partition, .globalBatch, (.roundSeconds * 100 | round / 100),
  (.timeToTargetAccuracyPerSeed | "\(.mean | round) ± \(.std | round) (\(.reached)/5)"),
  (.timeToTargetLossPerSeed | "\(.mean | round) ± \(.std | round) (\(.reached)/5)")] | @tsv'
echo "policy	partition	B*	T s	t->accuracy s	t->loss s"
jq -r "$row" "$out/study-sqrt.json" | sed 's/^/sqrt	/'
jq -r "$row" "$out/study-measured.json" | sed 's/^/measured	/'
