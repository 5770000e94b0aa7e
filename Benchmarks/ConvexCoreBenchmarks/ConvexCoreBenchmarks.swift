// One benchmark per ConvexCore solver on a fixed, seeded instance. Every instance is built
// before its benchmark is registered or in its setup closure, never inside the timed loop.
// Metrics: wall clock and malloc count (the count is the allocations of one call, since no
// OS statistics are read inside the measured window). Threshold policy: README.md.
import Benchmark
import ConvexCore

/// Wall clock and malloc count only: reading OS statistics allocates inside the measured
/// window, so leaving them out keeps the malloc count the solver's own.
let solverMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal]

/// Wall clock: fail above 5× the stored p90 (a 2-core machine shared with other jobs moves
/// p90 by 2–4×).
/// Mallocs: fail when the count moves by more than `mallocs` (it is deterministic, so 0;
/// a stored count of 0 makes any allocation a failure).
func tolerant(mallocs: Int = 0) -> [BenchmarkMetric: BenchmarkThresholds] {
  [
    .wallClock: BenchmarkThresholds(relative: [.p90: 400]),
    .mallocCountTotal: BenchmarkThresholds(absolute: [.p90: mallocs]),
  ]
}

func configuration(
  maxIterations: Int = 10_000, seconds: Int = 1, mallocs: Int = 0
) -> Benchmark.Configuration {
  Benchmark.Configuration(
    metrics: solverMetrics, warmupIterations: 3, maxDuration: .seconds(seconds),
    maxIterations: maxIterations, thresholds: tolerant(mallocs: mallocs))
}

/// Terms of `Σ clamp(p_k − q_k·w, lo_k, hi_k) = total` with seeded data spanning several
/// orders of magnitude, the total halfway between Σlo and Σhi.
struct WaterFillingInstance: Sendable {
  var p: [Double] = []
  var q: [Double] = []
  var lo: [Double] = []
  var hi: [Double] = []
  var total = 0.0

  init(count: Int, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<count {
      let low = rng.uniform(0...1)
      p.append(rng.uniform(-10...10))
      q.append(rng.logUniform(1e-3...1e3))
      lo.append(low)
      hi.append(low + rng.logUniform(1e-2...1e2))
    }
    total = 0.5 * (lo.reduce(0, +) + hi.reduce(0, +))
  }
}

/// State of a water-filling benchmark: the instance and a solver whose workspace holds it.
final class WaterFillingState: @unchecked Sendable {
  let instance: WaterFillingInstance
  var solver: BreakpointWaterFilling

  init(count: Int) {
    instance = WaterFillingInstance(count: count, seed: 7)
    solver = BreakpointWaterFilling(capacity: count)
  }
}

let benchmarks: @Sendable () -> Void = {
  // Roots of x³ − 2 on [0, 2] to the defaults' accuracy.
  Benchmark("Bisection", configuration: configuration()) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(Bisection.solve(in: 0...2) { x in x * x * x - 2 })
    }
  }
  Benchmark("SafeguardedNewton", configuration: configuration()) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(SafeguardedNewton.solve(in: 0...2) { x in (x * x * x - 2, 3 * x * x) })
    }
  }

  // Exact breakpoint water-filling, K = 10, 1e3, 1e5; K <= capacity, so zero mallocs.
  for (name, count, iterations) in [
    ("BreakpointWaterFilling_K10", 10, 10_000),
    ("BreakpointWaterFilling_K1000", 1000, 10_000),
    ("BreakpointWaterFilling_K100000", 100_000, 200),
  ] {
    Benchmark(
      name, configuration: configuration(maxIterations: iterations, seconds: 2),
      closure: { benchmark, state in
        let i = state.instance
        for _ in benchmark.scaledIterations {
          blackHole(state.solver.solve(p: i.p, q: i.q, lo: i.lo, hi: i.hi, total: i.total))
        }
      }, setup: { WaterFillingState(count: count) })
  }

  // General water-filling by nested bisection: min Σ a_k/x_k + c_k·x_k over a box, K = 1000.
  let level = WaterFillingInstance(count: 1000, seed: 11)
  let levelTotal = 0.5 * (level.lo.reduce(0, +) + level.hi.reduce(0, +))
  Benchmark(
    "LevelWaterFilling_K1000", configuration: configuration(maxIterations: 1000, seconds: 2),
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        LevelWaterFilling.solve(lower: level.lo, upper: level.hi, total: levelTotal) { k, x in
          -level.q[k] / (x * x) + abs(level.p[k])
        })
    }
  }

  // Dinkelbach: max √x / (x + 1) over [1e-3, 1e3] (optimum x = 1), parametric step closed form.
  Benchmark("Dinkelbach", configuration: configuration()) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        Dinkelbach.maximize(
          start: 100.0, ratio: { x in (x.squareRoot(), x + 1) },
          parametric: { lambda in min(max(1 / (4 * lambda * lambda), 1e-3), 1e3) }))
    }
  }

  Benchmark("GoldenSection", configuration: configuration()) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(GoldenSection.minimize(in: -5...5) { x in (x - 1) * (x - 1) + 0.1 * x.magnitude })
    }
  }

  // Projected subgradient: min Σ|x_i − c_i| over [0, 1]^100, 1000 diminishing steps.
  var rng = SplitMix64(seed: 3)
  let centers = (0..<100).map { _ in rng.uniform(-0.5...1.5) }
  Benchmark(
    "ProjectedSubgradient_n100_1000steps",
    configuration: configuration(maxIterations: 1000, seconds: 2)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        ProjectedSubgradient.minimize(
          start: [Double](repeating: 0.5, count: centers.count), step: .diminishing(scale: 1),
          maxIterations: 1000,
          objective: { x in
            var value = 0.0
            var g = [Double](repeating: 0, count: x.count)
            for i in 0..<x.count {
              let d = x[i] - centers[i]
              value += d.magnitude
              g[i] = d > 0 ? 1 : (d < 0 ? -1 : 0)
            }
            return (value, g)
          },
          project: { x in
            for i in 0..<x.count { x[i] = min(max(x[i], 0), 1) }
          }))
    }
  }
}
