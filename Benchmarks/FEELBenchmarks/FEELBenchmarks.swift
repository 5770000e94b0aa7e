// The FEEL problems on generated Table I scenarios (`Scenario.generated(devices:seed:)`,
// seed 1) and on the paper's default scenario. Every scenario and solver is built in the
// benchmark's setup closure, outside the timed region, and only for the benchmarks that
// run. Threshold policy: README.md.
import Benchmark
import FEEL

/// Wall clock, malloc count and malloc bytes of one solve (no OS statistics are read in
/// the measured window, so the malloc figures are the solver's own).
let solveMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .mallocBytesCount]

/// For the large scenarios also the peak resident memory of the process (scenario, compiled
/// data and solver together; reading it adds about 16 mallocs of the harness to the count).
let memoryMetrics: [BenchmarkMetric] = solveMetrics + [.peakMemoryResident]

/// Wall clock: fail above 5× the stored p90 (a 2-core machine shared with other jobs moves
/// p90 by 2–4×; a lost warm start or an O(K²) step costs far more). Malloc count: any change
/// fails on the small scenarios (the count is deterministic); on the large ones, where the
/// harness's reading of the resident memory adds a varying few dozen mallocs, a change of
/// more than 100 (a per-device allocation adds 10⁵). Malloc bytes: a change of more than
/// 10 %. Peak resident memory: more than 1.5× the stored p90.
func thresholds(large: Bool) -> [BenchmarkMetric: BenchmarkThresholds] {
  var result: [BenchmarkMetric: BenchmarkThresholds] = [
    .wallClock: BenchmarkThresholds(relative: [.p90: 400]),
    .mallocCountTotal: BenchmarkThresholds(absolute: [.p90: large ? 100 : 0]),
    .mallocBytesCount: BenchmarkThresholds(relative: [.p90: 10]),
  ]
  if large { result[.peakMemoryResident] = BenchmarkThresholds(relative: [.p90: 50]) }
  return result
}

/// Device counts and their labels (names carry no spaces: threshold files need that).
let allSizes: [(label: String, devices: Int)] = [
  ("K10", 10), ("K12", 12), ("K100", 100), ("K1000", 1000), ("K10000", 10_000),
  ("K100000", 100_000), ("K1000000", 1_000_000),
]

/// Samples and time budget shrink with K so the whole suite stays a few minutes long.
func configuration(devices: Int) -> Benchmark.Configuration {
  let large = devices >= 100_000
  return Benchmark.Configuration(
    metrics: large ? memoryMetrics : solveMetrics,
    warmupIterations: large ? 1 : 10,
    maxDuration: .seconds(devices >= 1_000_000 ? 6 : 2),
    maxIterations: devices >= 1_000_000 ? 10 : (large ? 50 : 10_000),
    thresholds: thresholds(large: large))
}

/// A solver for the generated scenario of `devices` devices (or the paper's default).
func makeSolver(devices: Int?) throws -> FEELSolver {
  try FEELSolver(devices.map { try Scenario.generated(devices: $0, seed: 1) } ?? .paperDefault)
}

/// A solver for the generated scenario of `devices` devices under the loss-decay model
/// `lossDecay` (the target: no slower than 2× the ξ√B solve at the same K).
func makeSolver(devices: Int, lossDecay: LossDecay) throws -> FEELSolver {
  let scenario = try Scenario.generated(devices: devices, seed: 1)
  return try FEELSolver(scenario.with { $0.lossDecay = lossDecay })
}

/// The non-paper loss-decay models benchmarked, with their name stems.
let lossDecayModels: [(label: String, model: LossDecay)] = [
  ("P1Power_", .power(coefficient: 1, exponent: 0.7)),
  ("P1Saturating_", .saturating(maxDecrease: 1, noiseBatch: 300)),
]

/// A solver and the optimal global batch of its scenario, for fixed-batch benchmarks.
struct FixedBatchState: Sendable {
  var solver: FEELSolver
  var globalBatch: Double

  init(devices: Int) throws {
    solver = try makeSolver(devices: devices)
    globalBatch = solver.optimize().globalBatch
  }
}

let benchmarks: @Sendable () -> Void = {
  // Full P1 (optimal B, every B_k, both slot allocations, certificates): the targets.
  Benchmark(
    "P1_PaperDefault_K12", configuration: configuration(devices: 12),
    closure: { benchmark, solver in
      for _ in benchmark.scaledIterations { blackHole(solver.optimize()) }
    }, setup: { try makeSolver(devices: nil) })
  for (label, devices) in allSizes {
    Benchmark(
      "P1_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, solver in
        for _ in benchmark.scaledIterations { blackHole(solver.optimize()) }
      }, setup: { try makeSolver(devices: devices) })
  }

  // Full P1 under the power and saturating loss-decay models (compare with P1_K12 and
  // P1_K1000000, the ξ√B solve).
  for (stem, model) in lossDecayModels {
    for (label, devices) in allSizes where [12, 1_000_000].contains(devices) {
      Benchmark(
        stem + label, configuration: configuration(devices: devices),
        closure: { benchmark, solver in
          for _ in benchmark.scaledIterations { blackHole(solver.optimize()) }
        }, setup: { try makeSolver(devices: devices, lossDecay: model) })
    }
  }

  // P1 by the textbook Dinkelbach method (exact parametric solves), the cross-check.
  for (label, devices) in allSizes where [12, 1000, 100_000].contains(devices) {
    Benchmark(
      "P1Dinkelbach_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, solver in
        for _ in benchmark.scaledIterations { blackHole(solver.optimizeByDinkelbach()) }
      }, setup: { try makeSolver(devices: devices) })
  }

  // P2 + P3 at a fixed global batch (the optimal one), Theorem 1 and Theorem 2.
  for (label, devices) in allSizes where [12, 10_000, 1_000_000].contains(devices) {
    Benchmark(
      "FixedBatch_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, state in
        for _ in benchmark.scaledIterations {
          blackHole(try? state.solver.solve(globalBatch: state.globalBatch))
        }
      }, setup: { try FixedBatchState(devices: devices) })
  }

  // P4 alone (Theorem 1) at the optimal B: the exact counterpart of the paper's Algorithm 1.
  for (label, devices) in allSizes where [12, 1000, 10_000].contains(devices) {
    Benchmark(
      "Uplink_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, state in
        for _ in benchmark.scaledIterations {
          blackHole(try? state.solver.uplink(globalBatch: state.globalBatch))
        }
      }, setup: { try FixedBatchState(devices: devices) })
  }

  // P3 / P5 alone (Theorem 2).
  for (label, devices) in allSizes where [12, 10_000, 1_000_000].contains(devices) {
    Benchmark(
      "Downlink_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, solver in
        for _ in benchmark.scaledIterations { blackHole(solver.downlink()) }
      }, setup: { try makeSolver(devices: devices) })
  }

  // Integer batches over every integer global batch (small K: the search visits each B).
  for (label, devices) in allSizes where [10, 12].contains(devices) {
    Benchmark(
      "IntegerBatches_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, solver in
        for _ in benchmark.scaledIterations {
          blackHole(try? IntegerBatches.solve(solver, globalBatch: nil))
        }
      }, setup: { try makeSolver(devices: devices) })
  }

  // The paper's Algorithm 1 and the subgradient baseline (Baselines.swift).
  baselineBenchmarks()
}
