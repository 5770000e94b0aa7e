import ConvexCore
import FEEL
import FEELTestSupport
import Testing

/// T^U(B) computed without the FEEL engine: the smallest T with
/// min_B Σ a_k/(T − t_k(B_k)) ≤ 1 (ConvexCore's general level water-filling for the inner
/// problem, bisection on T).
func independentUplinkRound(_ data: SystemData, globalBatch B: Double) -> Double {
  let K = data.count
  func F(_ T: Double) -> Double {
    // Inner problem over the affine model above Σℓ, or the flat data-bound region below it.
    let affine = B >= data.affineMinimumBatch
    let lower = affine ? data.lower : [Double](repeating: 1, count: K)
    var upper = affine ? data.upper : (0..<K).map { data.isGPU[$0] ? data.lower[$0] : 1 }
    for k in 0..<K where T - data.trueLatency(of: k, batch: lower[k]) <= 0 { return .infinity }
    // Keep the derivative finite: a device cannot take a batch it cannot finish by T.
    for k in 0..<K where T - data.trueLatency(of: k, batch: upper[k]) <= 0 {
      upper[k] = Swift.max(lower[k], (T - data.alpha[k]) / data.beta[k] * (1 - 1e-12))
    }
    guard upper.reduce(0, +) >= B else { return .infinity }
    let r = LevelWaterFilling.solve(
      lower: lower, upper: upper, total: Swift.min(B, upper.reduce(0, +)), tolerance: 1e-14
    ) {
      k, b in
      let room = T - data.trueLatency(of: k, batch: b)
      if room <= 0 { return .infinity }
      let slope = data.isGPU[k] && b < data.lower[k] ? 0 : data.beta[k]
      return data.uplinkWork[k] * slope / (room * room)
    }
    guard !r.allocation.isEmpty else { return .infinity }
    var sum = 0.0
    for k in 0..<K {
      let room = T - data.trueLatency(of: k, batch: r.allocation[k])
      sum += room > 0 ? data.uplinkWork[k] / room : .infinity
    }
    return sum
  }
  var lo = 0.0
  var hi = 1.0
  for k in 0..<K { lo = Swift.max(lo, data.trueLatency(of: k, batch: 1)) }
  hi = lo + 1
  while F(hi) > 1 { hi = lo + 2 * (hi - lo) }
  let r = Bisection.solve(in: lo...hi, xTolerance: 1e-13) { T in F(T) - 1 }
  return r.root
}

@Suite struct SolverRandomTests {
  @Test func everyRandomOptimumIsCertifiedAndFeasible() throws {
    forEachInstance(seed: 20_261_126, count: 300) { i, rng in
      let scenario = randomScenario(&rng, kind: .cycling(i), devices: 1...8)
      let solver = try FEELSolver(scenario)
      let s = solver.optimize()
      let report = Verifier.verify(s, data: solver.data)
      #expect(report.passed, "seed 20261126 instance \(i): \(report)")
      // The reported numbers are those of the allocation itself.
      let lat = solver.data.latency(
        batches: s.batches,
        uplinkFractions: s.uplinkSlotSeconds.map { $0 / scenario.uplinkFrameSeconds },
        downlinkFractions: s.downlinkSlotSeconds.map { $0 / scenario.downlinkFrameSeconds })
      #expect(relativeDifference(lat.roundSeconds, s.roundSeconds) <= 1e-14, "instance \(i)")
      #expect(s.batches.allSatisfy { $0 >= 1 && $0 <= Double(scenario.maxBatch) }, "instance \(i)")
      #expect(
        s.uplinkSlotSeconds.reduce(0, +) <= scenario.uplinkFrameSeconds * (1 + 1e-15),
        "instance \(i)")
      #expect(
        s.downlinkSlotSeconds.reduce(0, +) <= scenario.downlinkFrameSeconds * (1 + 1e-15),
        "instance \(i)")
    }
  }

  @Test func fastOptimumAgreesWithTextbookDinkelbach() throws {
    forEachInstance(seed: 7, count: 200) { i, rng in
      let solver = try FEELSolver(randomScenario(&rng, kind: .cycling(i), devices: 1...8))
      let fast = solver.optimize().learningEfficiency
      let textbook = solver.optimizeByDinkelbach().solution.learningEfficiency
      #expect(
        relativeDifference(fast, textbook) <= 1e-12, "seed 7 instance \(i): \(fast) vs \(textbook)")
    }
  }

  @Test func uplinkRoundLengthAgreesWithAnIndependentWaterFilling() throws {
    forEachInstance(seed: 99, count: 200) { i, rng in
      let solver = try FEELSolver(randomScenario(&rng, kind: .cycling(i), devices: 1...6))
      let range = solver.globalBatchRange
      let B = rng.uniform(range)
      let fast = try solver.uplink(globalBatch: B).roundLength
      let reference = independentUplinkRound(solver.data, globalBatch: B)
      #expect(
        relativeDifference(fast, reference) <= 1e-9,
        "seed 99 instance \(i) B = \(B): \(fast) vs \(reference)")
    }
  }

  @Test func fixedBatchSolutionsAreCertifiedAcrossTheWholeRange() throws {
    forEachInstance(seed: 31, count: 200) { i, rng in
      let solver = try FEELSolver(randomScenario(&rng, kind: .cycling(i), devices: 1...8))
      let range = solver.globalBatchRange
      for B in [range.lowerBound, rng.uniform(range), range.upperBound] {
        let s = try solver.solve(globalBatch: B)
        let report = Verifier.verify(s, data: solver.data)
        #expect(report.passed, "seed 31 instance \(i) B = \(B): \(report)")
        #expect(relativeDifference(s.globalBatch, B) <= 1e-12, "instance \(i)")
      }
    }
  }

  @Test func extremeScalesStayCertified() throws {
    // Rates 1e3…1e10 bit/s, gradients 1e3…1e10 bits, compute latencies 1e-6…1e4 s, K up to
    // 2000 (the extreme fleets of SolverExtremePropertiesTests).
    forEachInstance(seed: 4242, count: 60) { i, rng in
      let K = [1, 2, 3, 50, 2000][i % 5]
      let scenario = try SolverExtremePropertiesTests.extreme(
        devices: K, maxBatch: 1...512, &rng)
      let solver = try FEELSolver(scenario)
      let s = solver.optimize()
      #expect(Verifier.verify(s, data: solver.data).passed, "seed 4242 instance \(i) K = \(K)")
    }
  }

  @Test func identicalDevicesGetIdenticalAllocations() throws {
    for K in [1, 2, 5, 64] {
      let device = Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 3e7, downlinkBps: 5e7))
      let solver = try FEELSolver(
        try Scenario(
          gradientBits: 1e7, cyclesPerSample: 1e7, devices: Array(repeating: device, count: K)))
      let s = solver.optimize()
      let b0 = s.batches[0]
      #expect(s.batches.allSatisfy { relativeDifference($0, b0) <= 1e-12 }, "K = \(K)")
      #expect(
        s.uplinkSlotSeconds.allSatisfy { relativeDifference($0, 0.01 / Double(K)) <= 1e-12 },
        "K = \(K)")
    }
  }
}
