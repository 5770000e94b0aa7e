import FEEL
import FEELTestSupport
import Testing

/// The optimal policy of `optimize()` is the optimum of P1 / P6 / P7, so no baseline of
/// Section VI — nor any other feasible policy — may beat it. Every policy is evaluated
/// by the same latency model; a loss beyond relative 1e-12 is a failure.
@Suite struct BaselineOptimalityTests {
  static let tolerance = 1e-12

  @Test(arguments: RandomScenarioKind.allCases)
  func optimalPolicyNeverLosesToABaseline(kind: RandomScenarioKind) throws {
    let seed: UInt64 = 0xB45E_0000 + kind.ordinal
    forEachInstance(seed: seed, count: 200) { i, rng in
      let scenario = randomScenario(&rng, kind: kind, devices: 1...10)
      let solver = try FEELSolver(scenario)
      let baselines =
        Baseline.standard(seed: UInt64(i), fixedBatch: rng.int(in: 1...300))
        + [.equalBatches(globalBatch: rng.uniform(solver.globalBatchRange))]
      let comparison = try PolicyComparison(solver: solver, baselines: baselines)
      let best = comparison.optimalPolicy.learningEfficiency
      #expect(best.isFinite && best > 0, "seed \(seed) instance \(i)")
      #expect(
        abs(best - comparison.optimal.learningEfficiency) <= Self.tolerance * best,
        "seed \(seed) instance \(i): re-evaluation of the optimum differs")
      for row in comparison.rows {
        #expect(
          row.policy.learningEfficiency <= best * (1 + Self.tolerance),
          "seed \(seed) instance \(i): \(row.policy.name)/\(row.policy.slots) \(row.policy.learningEfficiency) beats optimal \(best)"
        )
        #expect(row.gain >= 1 - Self.tolerance, "seed \(seed) instance \(i): \(row.policy.name)")
      }
    }
  }

  /// Random feasible policies (random real batches, random slots summing to 1) and the
  /// exact solution at a random fixed global batch never beat the optimum either.
  @Test(arguments: RandomScenarioKind.allCases)
  func optimalPolicyBeatsRandomFeasiblePolicies(kind: RandomScenarioKind) throws {
    let seed: UInt64 = 0xF0_1C1E + kind.ordinal
    forEachInstance(seed: seed, count: 200) { i, rng in
      let scenario = randomScenario(&rng, kind: kind, devices: 1...10)
      let solver = try FEELSolver(scenario)
      let data = solver.data
      let best = solver.optimize().learningEfficiency
      let fixed = try solver.solve(globalBatch: rng.uniform(solver.globalBatchRange))
      #expect(
        fixed.learningEfficiency <= best * (1 + Self.tolerance),
        "seed \(seed) instance \(i): fixed B \(fixed.globalBatch) gives \(fixed.learningEfficiency) > \(best)"
      )
      let b = (0..<data.count).map { _ in rng.uniform(1...data.maxBatch) }
      let rawX = (0..<data.count).map { _ in rng.exponential() }
      let rawY = (0..<data.count).map { _ in rng.exponential() }
      let sx = rawX.reduce(0, +)
      let sy = rawY.reduce(0, +)
      let p = EvaluatedPolicy(
        data: data, name: "random", slots: .optimal, batches: b,
        uplinkFractions: rawX.map { $0 / sx }, downlinkFractions: rawY.map { $0 / sy })
      #expect(
        p.learningEfficiency <= best * (1 + Self.tolerance), "seed \(seed) instance \(i)")
    }
  }
}
