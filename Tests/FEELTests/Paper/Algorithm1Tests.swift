import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The paper's Algorithm 1 (Proofs/Algorithm1.md) against the exact solver.
@Suite struct Algorithm1Tests {
  /// A CPU fleet with the given CPU frequencies and uplink rates (C = 1e7 cycles, s = 1e6 bits).
  static func fleet(hz: [Double], uplink: [Double], maxBatch: Int = 128) throws -> Scenario {
    try Scenario(
      gradientBits: 1e6, maxBatch: maxBatch, cyclesPerSample: 1e7,
      devices: zip(hz, uplink).map {
        Device(compute: .cpu(hz: $0.0), link: .rates(uplinkBps: $0.1, downlinkBps: 1e7))
      })
  }

  @Test func algorithm1ReachesTheExactOptimumOnRandomCPUFleets() throws {
    let seed: UInt64 = 0xA1
    forEachInstance(seed: seed, count: 200) { i, g in
      let scenario = try PaperInstances.cpuScenario(deviceRange: 1...8, using: &g)
      let data = try SystemData(scenario)
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let exact = try FEELSolver(scenario).uplink(globalBatch: B)
      let r = try Algorithm1(data: data, tolerance: 1e-10).solve(globalBatch: B)
      let rel = abs(r.roundLength - exact.roundLength) / exact.roundLength
      #expect(r.status == .converged, "seed \(seed) instance \(i): \(r.status)")
      #expect(
        rel <= 1e-7, "seed \(seed) instance \(i): T^U \(r.roundLength) vs \(exact.roundLength)")
      #expect(
        abs(r.batchResidual) <= 1e-6 * B, "seed \(seed) instance \(i): ΣB − B = \(r.batchResidual)")
      #expect(
        abs(r.slotResidual) <= 1e-9, "seed \(seed) instance \(i): Στ/T_f − 1 = \(r.slotResidual)")
      for k in 0..<data.count {
        #expect(
          abs(r.batches[k] - exact.batches[k]) <= 1e-5 * data.maxBatch,
          "seed \(seed) instance \(i) device \(k): B_k \(r.batches[k]) vs \(exact.batches[k])")
      }
    }
  }

  @Test func algorithm1ReachesTheExactOptimumOnMixedFleetsInTheAffineModel() throws {
    let seed: UInt64 = 0xA2
    forEachInstance(seed: seed, count: 200) { i, g in
      let scenario = try PaperInstances.mixedScenario(
        devices: g.int(in: 1...8), using: &g)
      let data = try SystemData(scenario)
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let exact = try FEELSolver(scenario).uplink(globalBatch: B)
      let r = try Algorithm1(data: data, tolerance: 1e-10).solve(globalBatch: B)
      let rel = abs(r.roundLength - exact.roundLength) / exact.roundLength
      #expect(
        rel <= 1e-7, "seed \(seed) instance \(i): T^U \(r.roundLength) vs \(exact.roundLength)")
    }
  }

  /// Each halving of ε by 100 costs log2(100) ≈ 6.6 more outer iterations and as many
  /// more inner iterations per trial E: O(log 1/ε) per level, O(K (log 1/ε)²) in all.
  @Test func algorithm1IterationsGrowLikeLogOneOverEpsilonPerLevel() throws {
    let seed: UInt64 = 0xA3
    let tolerances = [1e-4, 1e-6, 1e-8, 1e-10, 1e-12]
    let step = log2(100.0)
    var counted = 0
    forEachInstance(seed: seed, count: 24) { i, g in
      let scenario = try PaperInstances.cpuScenario(using: &g)
      let data = try SystemData(scenario)
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let runs = try tolerances.map {
        try Algorithm1(data: data, tolerance: $0).solve(globalBatch: B)
      }
      // K = 1, B at an end of its range, or a Corollary 1 bracket that is already exact:
      // nothing to search (checked by the agreement tests).
      if runs[0].outerIterations == 0 || runs[0].maxInnerIterations == 0 { return }
      counted += 1
      for j in 1..<runs.count {
        let outer = Double(runs[j].outerIterations - runs[j - 1].outerIterations)
        let inner = Double(runs[j].maxInnerIterations - runs[j - 1].maxInnerIterations)
        #expect(
          abs(outer - step) <= 2.5, "seed \(seed) instance \(i) ε \(tolerances[j]): Δouter \(outer)"
        )
        #expect(
          abs(inner - step) <= 2.5, "seed \(seed) instance \(i) ε \(tolerances[j]): Δinner \(inner)"
        )
      }
      for r in runs {
        #expect(r.evaluations <= (r.outerIterations + 2) * (r.maxInnerIterations + 2))
      }
    }
    #expect(
      counted >= PropertyCount.atLeast(18), "seed \(seed): only \(counted) instances searched")
  }

  /// Regression fixture: with the printed [·]^+ in τ_k, a trial E at which the slow
  /// device cannot compute even one sample (ΔL·E < C/f_2) gets τ_2 = 0 and looks
  /// feasible; the bisection then returns a round length below C/f_2 = 10 s.
  @Test func printedPositivePartReturnsAnInfeasibleRoundLength() throws {
    let scenario = try Self.fleet(hz: [1e9, 1e6], uplink: [1e8, 1e8])
    let data = try SystemData(scenario)
    let exact = try FEELSolver(scenario).uplink(globalBatch: 10)
    #expect(exact.roundLength > 10)
    let printed = Algorithm1.Reading(printedMultiplierBracket: false, printedPositivePart: true)
    let wrong = try Algorithm1(data: data, reading: printed).solve(globalBatch: 10)
    #expect(wrong.roundLength < 10)
    let right = try Algorithm1(data: data).solve(globalBatch: 10)
    #expect(abs(right.roundLength - exact.roundLength) <= 1e-8 * exact.roundLength)
  }

  /// Regression fixture: the printed Corollary 2 bracket for μ lies above μ* when no
  /// device can reach B^max within the round (here T^U* = 2.5 s, C·B^max/f = 10 s), so no
  /// μ in it gives Σ B_k = B: the literal algorithm returns Σ B_k = 2 instead of 100.
  @Test func printedMultiplierBracketMissesTheGlobalBatch() throws {
    let scenario = try Self.fleet(hz: [1e9, 1e9], uplink: [1e6, 2e6], maxBatch: 1000)
    let data = try SystemData(scenario)
    let printed = Algorithm1.Reading(printedMultiplierBracket: true, printedPositivePart: false)
    let wrong = try Algorithm1(data: data, reading: printed).solve(globalBatch: 100)
    #expect(abs(wrong.batchResidual) > 50)
    let exact = try FEELSolver(scenario).uplink(globalBatch: 100)
    let right = try Algorithm1(data: data).solve(globalBatch: 100)
    #expect(abs(right.roundLength - exact.roundLength) <= 1e-8 * exact.roundLength)
    #expect(abs(right.batchResidual) <= 1e-6)
  }

  @Test func algorithm1RejectsGlobalBatchesOutsideTheRangeAndBadTolerances() throws {
    let data = try SystemData(Self.fleet(hz: [1e9, 2e9], uplink: [1e6, 1e7]))
    for B in [1.0, 257, .nan, .infinity] {
      #expect(throws: InfeasibleRequest.self) { try Algorithm1(data: data).solve(globalBatch: B) }
    }
    for eps in [0.0, -1, 1, .nan] {
      #expect(throws: InfeasibleRequest.self) {
        try Algorithm1(data: data, tolerance: eps).solve(globalBatch: 10)
      }
    }
  }

  @Test func algorithm1HandlesBothEndsOfTheGlobalBatch() throws {
    let scenario = try Self.fleet(hz: [7e8, 1.4e9, 2.1e9], uplink: [1e6, 3e6, 1e7])
    let data = try SystemData(scenario)
    for B in [3.0, 384] {
      let exact = try FEELSolver(scenario).uplink(globalBatch: B)
      let r = try Algorithm1(data: data).solve(globalBatch: B)
      #expect(abs(r.roundLength - exact.roundLength) <= 1e-8 * exact.roundLength, "B = \(B)")
      // The inner search stops at a relative ε on μ, so the bounds are met to ~ε·B^max.
      #expect(r.batches.allSatisfy { abs($0 - B / 3) <= 1e-7 * 128 }, "B = \(B): \(r.batches)")
    }
  }
}
