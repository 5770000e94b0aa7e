import ConvexCore
import FEEL
import FEELTestSupport
import Testing

/// Integer batches against exhaustive enumeration on tiny fleets.
@Suite struct IntegerBatchesTests {
  /// The round length of fixed batches: root of Σ a_k/(T − t_k(b_k)) = 1, by bisection.
  func roundLength(_ data: SystemData, _ b: [Double]) -> Double {
    var lo = 0.0
    var total = 0.0
    for k in 0..<data.count {
      lo = Swift.max(lo, data.trueLatency(of: k, batch: b[k]))
      total += data.uplinkWork[k]
    }
    let r = Bisection.solve(in: lo...(lo + total), xTolerance: 1e-15) { T in
      var sum = 0.0
      for k in 0..<data.count {
        let room = T - data.trueLatency(of: k, batch: b[k])
        sum += room > 0 ? data.uplinkWork[k] / room : .infinity
      }
      return 1 - sum
    }
    return r.root
  }

  /// Every integer allocation with Σ b = B, 1 ≤ b_k ≤ u.
  func allocations(K: Int, total: Int, upper: Int) -> [[Double]] {
    if K == 1 { return total >= 1 && total <= upper ? [[Double(total)]] : [] }
    var out: [[Double]] = []
    for first in 1...upper where total - first >= K - 1 {
      for rest in allocations(K: K - 1, total: total - first, upper: upper) {
        out.append([Double(first)] + rest)
      }
    }
    return out
  }

  func tinyFleet(_ rng: inout SeededGenerator) throws -> Scenario {
    let K = rng.int(in: 1...3)
    let maxBatch = rng.int(in: 1...7)
    var devices: [Device] = []
    for _ in 0..<K {
      let compute: Compute =
        rng.bool()
        ? .cpu(hz: rng.logUniform(1e8...4e9))
        : .gpu(
          GPUProfile(
            baseSeconds: rng.logUniform(1e-3...1), secondsPerSample: rng.logUniform(1e-3...1),
            thresholdBatch: rng.int(in: 1...maxBatch), flops: 1e12))
      devices.append(
        Device(
          compute: compute,
          link: .rates(uplinkBps: rng.logUniform(1e5...1e8), downlinkBps: rng.logUniform(1e5...1e8))
        ))
    }
    return try Scenario(
      gradientBits: rng.logUniform(1e4...1e7), maxBatch: maxBatch,
      cyclesPerSample: rng.logUniform(1e6...1e9),
      devices: devices)
  }

  @Test func fixedGlobalBatchMatchesEnumeration() throws {
    forEachInstance(seed: 5150, count: 200) { i, rng in
      let scenario = try tinyFleet(&rng)
      let solver = try FEELSolver(scenario)
      let K = scenario.deviceCount
      let B = rng.int(in: K...(K * scenario.maxBatch))
      let result = try IntegerBatches.solve(solver, globalBatch: Double(B))
      let best =
        allocations(K: K, total: B, upper: scenario.maxBatch).map { roundLength(solver.data, $0) }
        .min() ?? .nan
      #expect(result.solution.batches.allSatisfy { $0 == $0.rounded() }, "seed 5150 instance \(i)")
      #expect(result.solution.batches.reduce(0, +) == Double(B), "seed 5150 instance \(i)")
      #expect(
        relativeDifference(result.solution.uplinkSeconds, best) <= 1e-9,
        "seed 5150 instance \(i): \(result.solution.uplinkSeconds) vs \(best)")
      // The continuous optimum bounds the integer one.
      #expect(
        result.continuousEfficiency >= result.solution.learningEfficiency * (1 - 1e-12),
        "instance \(i)")
    }
  }

  @Test func freeGlobalBatchMatchesEnumerationOverEveryBatch() throws {
    forEachInstance(seed: 6262, count: 200) { i, rng in
      let scenario = try tinyFleet(&rng)
      let solver = try FEELSolver(scenario)
      let K = scenario.deviceCount
      let TD = solver.downlink().certificate.roundLength
      var best = 0.0
      for B in K...(K * scenario.maxBatch) {
        for b in allocations(K: K, total: B, upper: scenario.maxBatch) {
          best = Swift.max(
            best,
            scenario.lossDecayCoefficient * Double(B).squareRoot()
              / (roundLength(solver.data, b) + TD))
        }
      }
      let result = try IntegerBatches.solve(solver, globalBatch: nil)
      #expect(
        relativeDifference(result.solution.learningEfficiency, best) <= 1e-9,
        "seed 6262 instance \(i)")
      #expect(result.relativeGap >= 0 && result.relativeGap < 1, "instance \(i)")
    }
  }

  @Test func integerCertificatePassesForTheSolverAndFailsForAWorseAllocation() throws {
    forEachInstance(seed: 777, count: 200) { i, rng in
      let scenario = try tinyFleet(&rng)
      let solver = try FEELSolver(scenario)
      let result = try IntegerBatches.solve(solver, globalBatch: nil)
      let good = IntegerBatches.certify(result.solution, data: solver.data)
      #expect(good.passed, "seed 777 instance \(i): \(good)")
      // Move one sample from the device with the most room below to one with room above:
      // a different allocation that the certificate must not accept unless it is as good.
      let s = result.solution
      guard let from = s.batches.indices.first(where: { s.batches[$0] > 1 }),
        let to = s.batches.indices.first(where: {
          $0 != from && s.batches[$0] < Double(scenario.maxBatch)
        })
      else { return }
      var b = s.batches
      b[from] -= 1
      b[to] += 1
      let (x, _) = solver.slotsFor(batches: b)
      let moved = IntegerBatches.certify(
        s.allocation.replacing(batches: b, uplinkFractions: x), globalBatch: s.globalBatch,
        data: solver.data)
      let movedRound = solver.data.latency(
        batches: b, uplinkFractions: x, downlinkFractions: x
      ).uplinkSeconds
      if movedRound > result.solution.uplinkSeconds * (1 + 1e-9) {
        #expect(!moved.passed, "seed 777 instance \(i): a worse allocation was certified")
      }
      // Half a sample is not an integer allocation.
      var half = result.solution.batches
      half[from] -= 0.5
      half[to] += 0.5
      let halfCertificate = IntegerBatches.certify(
        result.solution.allocation.replacing(batches: half), globalBatch: s.globalBatch,
        data: solver.data)
      #expect(!halfCertificate.passed, "instance \(i)")
    }
  }

  @Test func nonIntegerGlobalBatchIsRejected() throws {
    let solver = try FEELSolver(.paperDefault)
    #expect(throws: InfeasibleRequest.self) { try IntegerBatches.solve(solver, globalBatch: 100.5) }
  }
}
