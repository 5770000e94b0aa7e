import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The answer is right across scales (issue 3, "Accuracy and robustness"): rates
/// 1e3 … 1e10 bit/s, gradients 1e3 … 1e10 bits, compute latencies 1e-6 … 1e4 s, K = 1,
/// both ends of B, one device far slower than the rest. References: Algorithm 1 (an
/// independent implementation of Theorem 1), closed forms, and a bisection of
/// Σ_k a_k/(T − t_k) = 1 written here.
@Suite struct SolverExtremePropertiesTests {
  /// A CPU fleet whose rates, gradient size and full-batch compute latencies are each
  /// log-uniform over the whole ranges above (independently, so the ratios span up to 1e17).
  static func extreme(
    devices K: Int, maxBatch batchRange: ClosedRange<Int> = 1...256, _ g: inout SeededGenerator
  ) throws -> Scenario {
    let maxBatch = g.int(in: batchRange)
    let s = g.logUniform(1e3...1e10)
    let C = 1e6
    let devices = (0..<K).map { _ in
      Device(
        compute: .cpu(hz: C * Double(maxBatch) / g.logUniform(1e-6...1e4)),
        link: .rates(uplinkBps: g.logUniform(1e3...1e10), downlinkBps: g.logUniform(1e3...1e10)))
    }
    return try Scenario(
      gradientBits: s, maxBatch: maxBatch, cyclesPerSample: C,
      updateCycles: g.bool() ? 0 : C * g.logUniform(1e-3...1e3), devices: devices)
  }

  /// The root T > max t_k of Σ a_k/(T − t_k) = 1 by plain bisection (the round length
  /// with the batches fixed).
  static func harmonicRoot(_ a: [Double], _ t: [Double]) -> Double {
    var lo = t.max() ?? 0
    var hi = lo + a.reduce(0, +)
    for _ in 0..<2000 {
      let mid = 0.5 * (lo + hi)
      guard mid > lo, mid < hi else { break }
      let f = zip(a, t).reduce(0.0) { $0 + $1.0 / (mid - $1.1) }
      if f > 1 { lo = mid } else { hi = mid }
    }
    return hi
  }

  /// Algorithm 1 (an independent implementation of Theorem 1) at global batch `B`: its
  /// allocation is feasible to tolerance and its round length is the solver's T^U at the
  /// global batch it did allocate. Eq. (22) computes B_k = (T − …)/β_k, which loses
  /// ulp(T)/β_k to cancellation, so Σ B_k can miss B by that much (a bound from the
  /// reference's own output); the solver is then asked for T^U at that Σ B_k, so no
  /// tolerance depends on the answer under test.
  static func expectAlgorithm1Agrees(_ solver: FEELSolver, globalBatch B: Double) throws {
    let data = solver.data
    let a1 = try Algorithm1(data: data, tolerance: 1e-10).solve(globalBatch: B)
    let cancellation = data.beta.reduce(0) { $0 + 8 * a1.roundLength.ulp / $1 }
    #expect(abs(a1.batchResidual) <= 1e-6 * B + cancellation, "\(a1.batchResidual)")
    #expect(a1.slotResidual <= 1e-9, "\(a1.slotResidual)")
    let range = solver.globalBatchRange
    let allocated = Swift.min(Swift.max(B + a1.batchResidual, range.lowerBound), range.upperBound)
    let fast = try solver.uplink(globalBatch: allocated).roundLength
    #expect(
      relativeDifference(a1.roundLength, fast) <= 1e-7,
      "Algorithm 1 \(a1.roundLength) vs \(fast) at B = \(allocated) (\(a1.status))")
  }

  @Test func extremeScalesAreSolvedAndCertifiedAtFixedB() throws {
    let seed: UInt64 = 0xE1
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try Self.extreme(devices: g.int(in: 1...6), &g)
      let solver = try FEELSolver(s)
      let data = solver.data
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let fixed = try solver.solve(globalBatch: B)
      let report = Verifier.verify(fixed, data: data, tolerance: 1e-9)
      #expect(report.passed, "seed \(seed) instance \(i): \(report)")
      try Self.expectAlgorithm1Agrees(solver, globalBatch: B)
    }
  }

  @Test func extremeScalesAreOptimizedAndCertified() throws {
    let seed: UInt64 = 0xE2
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try Self.extreme(devices: g.int(in: 1...6), &g)
      let solver = try FEELSolver(s)
      let o = solver.optimize()
      let report = Verifier.verify(o, data: solver.data, tolerance: 1e-9)
      #expect(report.passed, "seed \(seed) instance \(i): \(report)")
    }
  }

  /// K = 1: T^U(B) = βB + a and T^D = d + m, so E(B) = ξ√B/(βB + a + d + m) peaks at
  /// B* = [(a + d + m)/β]_1^{B^max}.
  @Test func singleDeviceMatchesTheClosedForm() throws {
    let seed: UInt64 = 0xE3
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try Self.extreme(devices: 1, &g)
      let solver = try FEELSolver(s)
      let d = solver.data
      let rest = d.uplinkWork[0] + d.downlinkWork[0] + d.updateSeconds[0]
      let Bstar = Swift.min(Swift.max(rest / d.beta[0], 1), d.maxBatch)
      let E = d.lossDecayCoefficient * Bstar.squareRoot() / (d.beta[0] * Bstar + rest)
      let o = solver.optimize()
      #expect(
        abs(o.learningEfficiency - E) <= 1e-12 * E,
        "seed \(seed) instance \(i): \(o.learningEfficiency) vs \(E)")
      #expect(
        abs(o.globalBatch - Bstar) <= 1e-6 * Bstar,
        "seed \(seed) instance \(i): \(o.globalBatch) vs \(Bstar)")
    }
  }

  /// B = K (every B_k = 1) and B = K·B^max (every B_k = B^max): the batches are forced
  /// and T^U is the harmonic root with t_k = β_k·B_k.
  @Test func bothEndsOfTheGlobalBatchForceTheBatches() throws {
    let seed: UInt64 = 0xE4
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try Self.extreme(devices: g.int(in: 1...8), &g)
      let solver = try FEELSolver(s)
      let d = solver.data
      for each in [1.0, d.maxBatch] {
        let up = try solver.uplink(globalBatch: each * Double(d.count))
        #expect(up.batches.allSatisfy { $0 == each }, "seed \(seed) instance \(i): \(up.batches)")
        let T = Self.harmonicRoot(d.uplinkWork, d.beta.map { $0 * each })
        #expect(
          abs(up.roundLength - T) <= 1e-12 * T,
          "seed \(seed) instance \(i): \(up.roundLength) vs \(T)")
      }
    }
  }

  /// One device 1e2 … 1e6 times slower than the rest.
  @Test func oneFarSlowerDeviceIsHandled() throws {
    let seed: UInt64 = 0xE5
    forEachInstance(seed: seed, count: 200) { i, g in
      let base = try PaperInstances.cpuScenario(
        devices: g.int(in: 2...8), using: &g)
      let slow = try PaperInstances.withDevice(base, 0, computeSpeedup: 1 / g.logUniform(1e2...1e6))
      let solver = try FEELSolver(slow)
      let data = solver.data
      let B = PaperInstances.globalBatch(for: data, using: &g)
      let fixed = try solver.solve(globalBatch: B)
      #expect(
        Verifier.verify(fixed, data: data, tolerance: 1e-9).passed, "seed \(seed) instance \(i)")
      try Self.expectAlgorithm1Agrees(solver, globalBatch: B)
      let o = solver.optimize()
      #expect(Verifier.verify(o, data: data, tolerance: 1e-9).passed, "seed \(seed) instance \(i)")
    }
  }
}
