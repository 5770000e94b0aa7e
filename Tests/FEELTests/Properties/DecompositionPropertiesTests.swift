import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The decomposition of P1 into P2 and P3 with a shared B (Proofs/Decomposition.md),
/// Lemma 1 (Proofs/Lemma1.md), the quasi-concavity of the global problem
/// (Proofs/QuasiConcavity.md) and Lemma 2 (Proofs/Lemma2.md).
@Suite struct DecompositionPropertiesTests {
  static func instance(
    _ g: inout SeededGenerator, mixed: Bool, devices: ClosedRange<Int> = 1...8
  )
    throws -> Scenario
  {
    try PaperInstances.scenario(mixed: mixed, devices: devices, using: &g)
  }

  /// A random allocation with Σ B_k = B, B_k in [1, B^max], Σ x_k = 1.
  static func randomAllocation(
    _ data: SystemData, B: Double, _ g: inout SeededGenerator
  )
    -> (batches: [Double], fractions: [Double])
  {
    let K = data.count
    let raw = (0..<K).map { _ in g.uniform(1...data.maxBatch) }
    // Shift every batch by t (clipped to the box) until the sum is B: monotone in t.
    var lo = -data.maxBatch
    var hi = data.maxBatch
    func sum(_ t: Double) -> Double {
      raw.reduce(0) { $0 + Swift.min(Swift.max($1 + t, 1), data.maxBatch) }
    }
    for _ in 0..<200 {
      let mid = 0.5 * (lo + hi)
      if sum(mid) < B { lo = mid } else { hi = mid }
    }
    var b = raw.map { Swift.min(Swift.max($0 + hi, 1), data.maxBatch) }
    let excess = b.reduce(0, +) - B
    if let k = b.indices.max(by: { b[$0] < b[$1] }) { b[k] = Swift.max(1, b[k] - excess) }
    let w = (0..<K).map { _ in g.exponential() }
    let total = w.reduce(0, +)
    return (b, w.map { $0 / total })
  }

  /// P1 = max_B ξ√B/(T^U(B) + T^D): the solver's optimum beats every point of a grid over
  /// B (each point solved at fixed B), and no random joint allocation (B, B_k, τ^U, τ^D)
  /// beats the decomposed solution at its own B.
  @Test(arguments: [false, true])
  func decompositionWithASharedBatchIsOptimalForP1(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0xDC2 : 0xDC1
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try Self.instance(&g, mixed: mixed)
      let solver = try FEELSolver(s)
      let data = solver.data
      let o = solver.optimize()
      let best = try SolverRegressionTests.gridBest(solver, points: 16)
      #expect(
        o.learningEfficiency >= best.efficiency * (1 - 1e-12),
        "seed \(seed) instance \(i): optimum \(o.learningEfficiency) at B \(o.globalBatch) < grid \(best)"
      )
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let fixed = try solver.solve(globalBatch: B)
      for _ in 0..<4 {
        let up = Self.randomAllocation(data, B: B, &g)
        let down = Self.randomAllocation(data, B: B, &g).fractions
        let lat = data.latency(
          batches: up.batches, uplinkFractions: up.fractions, downlinkFractions: down)
        #expect(
          lat.uplinkSeconds >= fixed.uplinkSeconds * (1 - 1e-12), "seed \(seed) instance \(i)")
        #expect(
          lat.downlinkSeconds >= fixed.downlinkSeconds * (1 - 1e-12), "seed \(seed) instance \(i)")
        #expect(
          data.efficiency(globalBatch: B, roundSeconds: lat.roundSeconds) <= o.learningEfficiency
            * (1 + 1e-12),
          "seed \(seed) instance \(i)")
      }
    }
  }

  /// Lemma 1: at fixed B the objective of P4, max_k t_k(B_k) + a_k/x_k, is convex on the
  /// (convex) feasible set: checked at midpoints of random feasible segments, for the
  /// CPU latency (9) and the two-piece GPU latency (27) alike.
  @Test(arguments: [false, true])
  func lemma1UplinkObjectiveIsConvexAlongRandomSegments(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0x112 : 0x111
    forEachInstance(seed: seed, count: 200) { i, g in
      let data = try SystemData(Self.instance(&g, mixed: mixed))
      let B = g.uniform(data.minimumGlobalBatch...data.maximumGlobalBatch)
      func objective(_ b: [Double], _ x: [Double]) -> Double {
        (0..<data.count).map {
          data.trueLatency(of: $0, batch: b[$0]) + data.uplinkWork[$0] / x[$0]
        }.max() ?? .nan
      }
      for _ in 0..<4 {
        let p = Self.randomAllocation(data, B: B, &g)
        let q = Self.randomAllocation(data, B: B, &g)
        let mb = (0..<data.count).map { 0.5 * (p.batches[$0] + q.batches[$0]) }
        let mx = (0..<data.count).map { 0.5 * (p.fractions[$0] + q.fractions[$0]) }
        let lhs = objective(mb, mx)
        let rhs = 0.5 * (objective(p.batches, p.fractions) + objective(q.batches, q.fractions))
        #expect(lhs <= rhs * (1 + 1e-12), "seed \(seed) instance \(i): \(lhs) > \(rhs)")
        #expect(abs(mb.reduce(0, +) - B) <= 1e-9 * B && abs(mx.reduce(0, +) - 1) <= 1e-12)
      }
    }
  }

  /// T^U(B) is convex in B (the value function of a convex program in the right-hand
  /// side of Σ B_k = B) and nondecreasing, so E(B) = ξ√B/(T^U(B) + T^D) is quasi-concave:
  /// E at a midpoint is at least the smaller end value.
  @Test(arguments: [false, true])
  func uplinkRoundIsConvexInBAndEfficiencyIsQuasiConcave(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0x0C2 : 0x0C1
    forEachInstance(seed: seed, count: 200) { i, g in
      let solver = try FEELSolver(Self.instance(&g, mixed: mixed))
      let data = solver.data
      let down = solver.downlink().certificate.roundLength
      for _ in 0..<3 {
        let b1 = g.uniform(data.minimumGlobalBatch...data.maximumGlobalBatch)
        let b2 = g.uniform(data.minimumGlobalBatch...data.maximumGlobalBatch)
        let m = 0.5 * (b1 + b2)
        let t1 = try solver.uplink(globalBatch: b1).roundLength
        let t2 = try solver.uplink(globalBatch: b2).roundLength
        let tm = try solver.uplink(globalBatch: m).roundLength
        #expect(tm <= 0.5 * (t1 + t2) * (1 + 1e-12), "seed \(seed) instance \(i): B \(b1), \(b2)")
        #expect(
          (b1 <= b2) == (t1 <= t2 * (1 + 1e-12)) || abs(t1 - t2) <= 1e-12 * t1,
          "seed \(seed) instance \(i): T^U not monotone")
        let e = { (b: Double, t: Double) in data.efficiency(globalBatch: b, roundSeconds: t + down)
        }
        #expect(
          e(m, tm) >= Swift.min(e(b1, t1), e(b2, t2)) * (1 - 1e-12), "seed \(seed) instance \(i)")
      }
    }
  }

  /// Lemma 2: at the optimum over B every GPU is in its compute-bound region
  /// (B_k* ≥ B_k^th). Not at every fixed B: below Σ B_k^th some GPU must sit below its
  /// threshold, and there T^U(B) is flat (P6).
  @Test func lemma2OptimalGPUBatchesAreComputeBound() throws {
    let seed: UInt64 = 0x122
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try PaperInstances.mixedScenario(
        devices: g.int(in: 1...8), gpuShare: 0.7, using: &g)
      let solver = try FEELSolver(s)
      let data = solver.data
      let o = solver.optimize()
      for k in 0..<data.count where data.isGPU[k] {
        #expect(
          o.batches[k] >= data.lower[k] * (1 - 1e-12), "seed \(seed) instance \(i) device \(k)")
      }
      if data.affineMinimumBatch > data.minimumGlobalBatch + 1 {
        let floor = try solver.uplink(globalBatch: data.minimumGlobalBatch).roundLength
        let below = g.uniform(data.minimumGlobalBatch...data.affineMinimumBatch)
        let u = try solver.uplink(globalBatch: below)
        #expect(abs(u.roundLength - floor) <= 1e-12 * floor, "seed \(seed) instance \(i): not flat")
        #expect(
          (0..<data.count).contains { data.isGPU[$0] && u.batches[$0] < data.lower[$0] }
            || below == data.affineMinimumBatch)
      }
    }
  }
}
