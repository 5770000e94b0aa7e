#!/usr/bin/env bash
# Training throughput of the MLP 784-128-10 (forward + backward + update, float32, batch
# 1200, one thread each): the package's release build against numpy with its OpenBLAS,
# side by side in one run (alternating, three rounds each), then the ratio of the medians.
# Only the ratio measured side by side counts: the machine's load moves both.
#
#   Benchmarks/training-throughput.sh [batch] [hidden]
#
# The Swift side uses OpenBLAS when a libopenblas0 flavour is installed and the pure-Swift
# kernel otherwise (FEEL_BLAS=swift forces it; see README, dependencies). numpy is skipped
# with a message where it is absent.
set -euo pipefail
cd "$(dirname "$0")"
batch="${1:-1200}"
hidden="${2:-128}"

swift build -c release --product TrainingThroughput >/dev/null
binary="$(swift build -c release --show-bin-path)/TrainingThroughput"

have_numpy=1
python3 -c "import numpy" 2>/dev/null || have_numpy=0
[ "$have_numpy" -eq 1 ] || echo "numpy not found (python3 -c 'import numpy' failed): Swift only"

swift_rates=()
numpy_rates=()
for round in 1 2 3; do
  out="$(OPENBLAS_NUM_THREADS=1 "$binary" --batch "$batch" --hidden "$hidden" --repeats 3)"
  [ "$round" -eq 1 ] && echo "$out" | grep -E "kernel|data"
  rate="$(echo "$out" | sed -n 's/^swift samples\/s: \([0-9]*\).*/\1/p')"
  echo "round $round: swift $rate samples/s"
  swift_rates+=("$rate")
  if [ "$have_numpy" -eq 1 ]; then
    # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are set on some machines to protect older
    # OpenBLAS builds; they slow numpy's current one, so unset them for numpy alone.
    out="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
      python3 training_throughput.py "$batch" "$hidden" 3 1)"
    [ "$round" -eq 1 ] && echo "$out" | grep BLAS
    rate="$(echo "$out" | sed -n 's/^numpy samples\/s: \([0-9]*\).*/\1/p')"
    echo "round $round: numpy $rate samples/s"
    numpy_rates+=("$rate")
  fi
done

median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
s="$(median "${swift_rates[@]}")"
echo "swift median: $s samples/s"
if [ "$have_numpy" -eq 1 ]; then
  n="$(median "${numpy_rates[@]}")"
  echo "numpy median: $n samples/s"
  echo "ratio swift/numpy: $(python3 -c "print(f'{$s / $n:.2f}')") (target >= 0.8)"
fi
