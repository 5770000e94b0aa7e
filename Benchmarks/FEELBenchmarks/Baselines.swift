// The baselines the exact solver replaces, timed on the same instances: the paper's
// Algorithm 1 (two-dimensional bisection for P4 at a fixed B) and the projected subgradient
// method for P6 (the "traditional solution" of Section V-B), each to a stated accuracy.
import Benchmark
import ConvexCore
import FEEL

/// ε of Algorithm 1. Its setup checks that the round length it returns agrees with the
/// exact solver's T^U(B) to a relative `algorithm1Agreement`, so both are timed at the
/// same accuracy.
let algorithm1Tolerance = 1e-12
let algorithm1Agreement = 1e-11

/// The relative gap (best − certified bound)/bound at which the subgradient run stops.
let subgradientGap = 1e-2

/// Thrown by a setup whose baseline misses its stated accuracy.
struct AccuracyNotReached: Error, CustomStringConvertible {
  var description: String
}

/// Algorithm 1 ready to run at the optimal B of a generated scenario.
struct Algorithm1State: Sendable {
  var algorithm: Algorithm1
  var globalBatch: Double

  init(devices: Int) throws {
    let fixed = try FixedBatchState(devices: devices)
    algorithm = Algorithm1(data: fixed.solver.data, tolerance: algorithm1Tolerance)
    globalBatch = fixed.globalBatch
    let exact = try fixed.solver.uplink(globalBatch: globalBatch).roundLength
    let paper = try algorithm.solve(globalBatch: globalBatch).roundLength
    let error = abs(paper - exact) / exact
    guard error <= algorithm1Agreement else {
      throw AccuracyNotReached(
        description:
          "Algorithm 1 at K = \(devices): relative error \(error) > \(algorithm1Agreement)")
    }
  }
}

/// P1 solved the paper's way: the learning efficiency ξ√B/(T^U(B) + T^D) is quasi-concave
/// in B, so golden-section search over B (relative tolerance `paperSearchTolerance`) with
/// Algorithm 1 for T^U(B) at each trial B and Theorem 2 for T^D. Its setup checks that the
/// efficiency agrees with `FEELSolver.optimize()` to a relative `paperSearchAgreement`.
let paperSearchTolerance = 1e-8
let paperSearchAgreement = 1e-9

struct PaperP1State: Sendable {
  var solver: FEELSolver
  var algorithm: Algorithm1

  init(devices: Int) throws {
    solver = try makeSolver(devices: devices)
    algorithm = Algorithm1(data: solver.data, tolerance: algorithm1Tolerance)
    let exact = solver.optimize().learningEfficiency
    let paper = solve()
    let error = abs(paper - exact) / exact
    guard error <= paperSearchAgreement else {
      throw AccuracyNotReached(
        description: "paper P1 at K = \(devices): relative error \(error) > \(paperSearchAgreement)"
      )
    }
  }

  /// The optimal learning efficiency found by the paper's method.
  func solve() -> Double {
    let downlink = solver.downlink().certificate.roundLength
    let data = solver.data
    let best = GoldenSection.minimize(
      in: solver.globalBatchRange, tolerance: paperSearchTolerance
    ) { B in
      guard let uplink = try? algorithm.solve(globalBatch: B).roundLength else { return .nan }
      return -data.efficiency(globalBatch: B, roundSeconds: uplink + downlink)
    }
    return -best.value
  }
}

/// The subgradient baseline's settings: stop at `subgradientGap`, at most 10⁶ iterations.
let subgradientOptions = SubgradientBaseline.Options(
  maxIterations: 1_000_000, step: .diminishing(scale: 0.1), gapTargets: [subgradientGap])

/// As ``thresholds(large:)``, but the malloc count may move by 1 % (the run's clock
/// readings vary its count by a few of its 78 000 allocations).
func subgradientThresholds() -> [BenchmarkMetric: BenchmarkThresholds] {
  var result = thresholds(large: false)
  result[.mallocCountTotal] = BenchmarkThresholds(relative: [.p90: 1])
  return result
}

/// The subgradient baseline ready to run at the optimal B; its setup checks that a run
/// reaches the stated gap.
struct SubgradientState: Sendable {
  var fixed: FixedBatchState

  init(devices: Int) throws {
    fixed = try FixedBatchState(devices: devices)
    let run = try SubgradientBaseline.run(
      fixed.solver, globalBatch: fixed.globalBatch, options: subgradientOptions)
    guard run.relativeGap <= subgradientGap else {
      throw AccuracyNotReached(
        description: "subgradient at K = \(devices): gap \(run.relativeGap) after \(run.iterations)"
      )
    }
  }
}

/// Registers the baseline benchmarks.
func baselineBenchmarks() {
  // Algorithm 1 against `Uplink_K*` (the exact P4) at the same B and accuracy.
  for (label, devices) in allSizes where [12, 1000, 10_000].contains(devices) {
    Benchmark(
      "Algorithm1_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, state in
        for _ in benchmark.scaledIterations {
          blackHole(try? state.algorithm.solve(globalBatch: state.globalBatch))
        }
      }, setup: { try Algorithm1State(devices: devices) })
  }

  // The whole of P1 the paper's way, against `P1_K*`.
  for (label, devices) in allSizes where [12, 1000].contains(devices) {
    Benchmark(
      "P1Paper_GoldenSectionAlgorithm1_" + label, configuration: configuration(devices: devices),
      closure: { benchmark, state in
        for _ in benchmark.scaledIterations { blackHole(state.solve()) }
      }, setup: { try PaperP1State(devices: devices) })
  }

  // Projected subgradient to a 1 % gap, against `Uplink_K12` (K = 100 takes about 4 s).
  for (label, devices) in allSizes where devices == 12 {
    Benchmark(
      "Subgradient_Gap1e-2_" + label,
      configuration: Benchmark.Configuration(
        metrics: solveMetrics, warmupIterations: 1, maxDuration: .seconds(3),
        maxIterations: 200, thresholds: subgradientThresholds()),
      closure: { benchmark, state in
        for _ in benchmark.scaledIterations {
          blackHole(
            try? SubgradientBaseline.run(
              state.fixed.solver, globalBatch: state.fixed.globalBatch,
              options: subgradientOptions))
        }
      }, setup: { try SubgradientState(devices: devices) })
  }
}
