"""Training throughput of the MLP 784-H-10 in numpy (float32, one BLAS thread): the same
step as Benchmarks/TrainingThroughput (gather a random batch, forward, softmax
cross-entropy, backward, SGD update). Run by Benchmarks/training-throughput.sh.

usage: python3 training_throughput.py [batch] [hidden] [repeats] [seconds]
"""
import gzip
import os
import sys
import time

import numpy as np

batch, hidden, repeats, seconds = 1200, 128, 5, 1.0
if len(sys.argv) > 1:
    batch, hidden, repeats = (int(a) for a in sys.argv[1:4])
    seconds = float(sys.argv[4])

path = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
if os.path.exists(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    X_all = (np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784) / 255).astype(np.float32)
    with gzip.open(path.replace("images-idx3", "labels-idx1"), "rb") as f:
        y_all = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
else:
    rng0 = np.random.default_rng(1)
    X_all = rng0.random((60000, 784), dtype=np.float32)
    y_all = np.arange(60000) % 10

rng = np.random.default_rng(2)
W1 = (rng.standard_normal((hidden, 784)) * np.sqrt(2 / 784)).astype(np.float32)
b1 = np.zeros(hidden, np.float32)
W2 = (rng.uniform(-1, 1, (10, hidden)) * np.sqrt(6 / (hidden + 10))).astype(np.float32)
b2 = np.zeros(10, np.float32)
lr = np.float32(0.05)
rows = np.arange(batch)


def step():
    global W1, b1, W2, b2
    idx = rng.integers(0, X_all.shape[0], batch)
    X = X_all[idx]
    y = y_all[idx]
    A = X @ W1.T + b1
    H = np.maximum(A, 0)
    Z = H @ W2.T + b2
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[rows, y]).mean()
    dZ = P
    dZ[rows, y] -= 1
    dZ /= batch
    gW2 = dZ.T @ H
    gb2 = dZ.sum(axis=0)
    dH = dZ @ W2
    dH[A <= 0] = 0
    gW1 = dH.T @ X
    gb1 = dH.sum(axis=0)
    W1 -= lr * gW1
    b1 -= lr * gb1
    W2 -= lr * gW2
    b2 -= lr * gb2
    return loss


for _ in range(3):
    step()
rates = []
for _ in range(repeats):
    start = time.perf_counter()
    steps = 0
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    rates.append(steps * batch / (time.perf_counter() - start))
rates.sort()
median = rates[len(rates) // 2]
flops = 2.0 * batch * (2 * 784 * hidden + 3 * hidden * 10)
try:
    from threadpoolctl import threadpool_info

    kernel = "; ".join(
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}"
        for i in threadpool_info()
    )
except ImportError:
    kernel = "(threadpoolctl not installed: kernel not shown)"
print(f"numpy {np.__version__} BLAS: {kernel}")
print(f"numpy samples/s: {round(median)} (median of {len(rates)}; {median / batch * flops / 1e9:.1f} GFLOP/s)")
