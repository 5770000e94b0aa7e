import FEEL
import FEELTestSupport
import Testing

/// The rules of the Section VI baselines, checked against the scenario's own numbers
/// (not against the solver): batches, slots, and the latency formulas (eqs. 9–16, 27–29,
/// and eq. 42 of Corollary 1 case A for equal batches with equal slots).
@Suite struct BaselineTests {
  /// The round length of a policy computed from the scenario alone (eqs. 9, 10, 11, 12,
  /// 27, 28, 29).
  static func roundSeconds(
    _ s: Scenario, batches: [Double], uplinkSlots x: [Double], downlinkSlots y: [Double]
  ) -> Double {
    var up = 0.0
    var down = 0.0
    for (k, device) in s.devices.enumerated() {
      let r = s.rates(of: k)
      let compute: Double
      let update: Double
      switch device.compute {
      case .cpu(let hz):
        compute = batches[k] * (s.cyclesPerSample ?? .nan) / hz
        update = s.updateCycles / hz
      case .gpu(let g):
        compute = g.baseSeconds + g.secondsPerSample * max(0, batches[k] - Double(g.thresholdBatch))
        update = s.updateFlops / g.flops
      }
      up = max(up, compute + s.gradientBits / (r.uplink * x[k]))
      down = max(down, s.gradientBits / (r.downlink * y[k]) + update)
    }
    return up + down
  }

  static func instances(_ seed: UInt64, count: Int) -> [Scenario] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { i in
      randomScenario(&rng, kind: .cycling(i), devices: 1...9)
    }
  }

  @Test func batchRulesFollowSectionVI() throws {
    for (i, s) in Self.instances(11, count: 60).enumerated() {
      let data = try SystemData(s)
      let K = s.devices.count
      let top = Double(s.maxBatch)
      #expect(
        try Baseline.onlineLearning.batches(data: data, optimalGlobalBatch: nil)
          == Array(repeating: 1, count: K))
      #expect(
        try Baseline.fullBatch.batches(data: data, optimalGlobalBatch: nil)
          == Array(repeating: top, count: K))
      let fixed = try Baseline.fixedBatch(32).batches(data: data, optimalGlobalBatch: nil)
      #expect(fixed == Array(repeating: min(32, top), count: K), "instance \(i)")
      let B = Double(K) + Double(i % 7) / 7 * (Double(K) * top - Double(K))
      let equal = try Baseline.equalBatches(globalBatch: B).batches(
        data: data, optimalGlobalBatch: nil)
      #expect(equal.allSatisfy { abs($0 - B / Double(K)) <= 1e-12 * B }, "instance \(i)")
      let random = try Baseline.randomBatch(seed: UInt64(i)).batches(
        data: data, optimalGlobalBatch: nil)
      #expect(random.allSatisfy { $0 >= 1 && $0 <= top && $0 == $0.rounded() }, "instance \(i)")
      let again = try Baseline.randomBatch(seed: UInt64(i)).batches(
        data: data, optimalGlobalBatch: nil)
      #expect(random == again, "random batches are reproducible by seed (instance \(i))")
    }
  }

  @Test func randomBatchCoversTheWholeRange() throws {
    let s = try Scenario(
      gradientBits: 1e6, maxBatch: 8, cyclesPerSample: 1e6,
      devices: Array(
        repeating: Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e7, downlinkBps: 1e7)),
        count: 400))
    let b = try Baseline.randomBatch(seed: 3).batches(data: SystemData(s), optimalGlobalBatch: nil)
    #expect(Set(b) == Set((1...8).map(Double.init)))
  }

  @Test func equalSlotsGiveEveryDeviceOneKthOfEachFrame() throws {
    for (i, s) in Self.instances(12, count: 30).enumerated() {
      let solver = try FEELSolver(s)
      let K = Double(s.devices.count)
      for baseline in Baseline.standard() {
        let p = try baseline.evaluate(
          solver, slots: .equal, optimalGlobalBatch: Double(s.devices.count))
        #expect(p.uplinkFractions.allSatisfy { $0 == 1 / K }, "instance \(i) \(baseline)")
        #expect(p.downlinkFractions.allSatisfy { $0 == 1 / K }, "instance \(i) \(baseline)")
        let T = Self.roundSeconds(
          s, batches: p.batches, uplinkSlots: p.uplinkFractions, downlinkSlots: p.downlinkFractions)
        #expect(
          abs(p.roundSeconds - T) <= 1e-12 * T,
          "instance \(i) \(baseline): \(p.roundSeconds) vs \(T)")
        let E = s.lossDecayCoefficient * p.globalBatch.squareRoot() / T
        #expect(abs(p.learningEfficiency - E) <= 1e-12 * E, "instance \(i) \(baseline)")
      }
    }
  }

  /// Corollary 1, case A: with B_k = B/K and τ_k = T_f/K the uplink part is
  /// max_k (t_k(B/K) + K·s/R_k^U) (eq. 42 times ΔL), which bounds T^U(B) from above.
  @Test func equalBatchesWithEqualSlotsIsCorollary1CaseA() throws {
    for (i, s) in Self.instances(13, count: 60).enumerated() {
      let solver = try FEELSolver(s)
      let K = Double(s.devices.count)
      let B = K * (1 + Double(i % 5) / 4 * (Double(s.maxBatch) - 1))
      let p = try Baseline.equalBatches(globalBatch: B).evaluate(solver, slots: .equal)
      var eq42 = 0.0
      for (k, device) in s.devices.enumerated() {
        let t: Double
        switch device.compute {
        case .cpu(let hz): t = B / K * (s.cyclesPerSample ?? .nan) / hz
        case .gpu(let g): t = g.latency(batch: B / K)
        }
        eq42 = max(eq42, t + K * s.gradientBits / s.rates(of: k).uplink)
      }
      #expect(abs(p.uplinkSeconds - eq42) <= 1e-12 * eq42, "instance \(i)")
      let exact = try solver.uplink(globalBatch: B).roundLength
      #expect(exact <= eq42 * (1 + 1e-12), "instance \(i): T^U(B) \(exact) above eq. 42 \(eq42)")
    }
  }

  @Test func optimalSlotsFinishEveryUploadTogetherWithinTheFrame() throws {
    for (i, s) in Self.instances(14, count: 60).enumerated() {
      let solver = try FEELSolver(s)
      let data = solver.data
      for baseline in Baseline.standard() {
        let p = try baseline.evaluate(
          solver, slots: .optimal, optimalGlobalBatch: data.minimumGlobalBatch)
        let q = try baseline.evaluate(
          solver, slots: .equal, optimalGlobalBatch: data.minimumGlobalBatch)
        #expect(p.uplinkFractions.reduce(0, +) <= 1 + 1e-12, "instance \(i) \(baseline)")
        #expect(p.downlinkFractions.reduce(0, +) <= 1 + 1e-12, "instance \(i) \(baseline)")
        let finish = (0..<data.count).map {
          data.trueLatency(of: $0, batch: p.batches[$0]) + data.uplinkWork[$0]
            / p.uplinkFractions[$0]
        }
        let spread = (finish.max() ?? 0) - (finish.min() ?? 0)
        #expect(spread <= 1e-12 * p.uplinkSeconds, "instance \(i) \(baseline): spread \(spread)")
        #expect(p.uplinkSeconds <= q.uplinkSeconds * (1 + 1e-12), "instance \(i) \(baseline)")
        #expect(p.downlinkSeconds <= q.downlinkSeconds * (1 + 1e-12), "instance \(i) \(baseline)")
        #expect(
          p.learningEfficiency >= q.learningEfficiency * (1 - 1e-12), "instance \(i) \(baseline)")
      }
    }
  }

  @Test func badRequestsAreTypedErrors() throws {
    let solver = try FEELSolver(.paperDefault)
    let data = solver.data
    for B in [0.5, .nan, .infinity, data.maximumGlobalBatch + 1] {
      #expect(throws: InfeasibleRequest.self) {
        try Baseline.equalBatches(globalBatch: B).evaluate(solver, slots: .equal)
      }
    }
    #expect(throws: InfeasibleRequest.self) {
      try Baseline.equalBatches(globalBatch: nil).evaluate(solver, slots: .equal)
    }
    #expect(throws: InfeasibleRequest.self) {
      try Baseline.fixedBatch(0).evaluate(solver, slots: .optimal)
    }
  }

  @Test func comparisonReportsTheGainOfTheOptimalPolicy() throws {
    let solver = try FEELSolver(.paperDefault)
    let c = try PolicyComparison(solver: solver)
    #expect(c.rows.count == 10)
    #expect(Set(c.rows.map(\.policy.name)).count == 5)
    for row in c.rows {
      #expect(row.gain == c.optimalPolicy.learningEfficiency / row.policy.learningEfficiency)
      #expect(row.gain >= 1 - 1e-12, "\(row.policy.name) \(row.policy.slots)")
    }
  }
}
