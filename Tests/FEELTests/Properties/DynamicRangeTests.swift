import FEELTestSupport
import Foundation
import Testing

@testable import FEEL

/// Any dynamic range (issue 15): every input magnitude drawn log-uniformly across
/// 1e-300 … 1e300. Each instance is either (a) rejected when the scenario is built, with
/// an error naming the field and the supported range, or (b) solved, certified, and in
/// agreement with itself under a change of units (all times scaled by a power of two:
/// the efficiency scales by its inverse, the batches do not move) and under a permutation
/// of the devices. Never (c): an answer whose certificate does not verify.
@Suite struct DynamicRangeTests {
  /// 10^u with u uniform in `exponents`, from the top 53 bits of one draw.
  static func decade(_ exponents: ClosedRange<Double>, _ g: inout SeededGenerator) -> Double {
    let u = Double(g.next() >> 11) * 0x1p-53
    return Foundation.pow(
      10, exponents.lowerBound + u * (exponents.upperBound - exponents.lowerBound))
  }

  /// An integer uniform in `range`, from one draw.
  static func integer(_ range: ClosedRange<Int>, _ g: inout SeededGenerator) -> Int {
    range.lowerBound + Int(g.next() % UInt64(range.upperBound - range.lowerBound + 1))
  }

  /// A scenario whose every magnitude is 10^u with u uniform in `center ± spread` (one
  /// draw of `center` per scenario from `centers`): with `spread` = 300 and `centers` =
  /// 0...0 every input is independent across 1e-300 … 1e300. Returns the scenario or the
  /// error its validation raised.
  static func draw(
    _ g: inout SeededGenerator, centers: ClosedRange<Double>, spread: Double
  ) -> Result<Scenario, ScenarioError> {
    let c =
      centers.lowerBound + Double(g.next() >> 11) * 0x1p-53
      * (centers.upperBound - centers.lowerBound)
    func x() -> Double { decade((c - spread)...(c + spread), &g) }
    let K = integer(1...4, &g)
    let maxBatch = integer(1...256, &g)
    var devices: [Device] = []
    for _ in 0..<K {
      let compute: Compute
      if g.next() % 3 == 0 {
        compute = .gpu(
          GPUProfile(
            baseSeconds: x(), secondsPerSample: x(), thresholdBatch: integer(1...maxBatch, &g),
            flops: x()))
      } else {
        compute = .cpu(hz: x())
      }
      devices.append(Device(compute: compute, link: .rates(uplinkBps: x(), downlinkBps: x())))
    }
    do {
      return .success(
        try Scenario(
          gradientBits: x(), maxBatch: maxBatch, uplinkFrameSeconds: x(),
          downlinkFrameSeconds: x(), cyclesPerSample: x(),
          updateCycles: g.next() % 4 == 0 ? 0 : x(), updateFlops: g.next() % 4 == 0 ? 0 : x(),
          devices: devices))
    } catch let e as ScenarioError {
      return .failure(e)
    } catch {
      return .failure(ScenarioError(field: "?", reason: "\(error)"))
    }
  }

  /// The scenario with every time multiplied by `factor` (rates, frequencies and frames
  /// kept): s, C, M^C, M^G, t^ℓ and c scaled. nil when a scaled value leaves the doubles.
  static func scaledTimes(_ s: Scenario, by factor: Double) -> Scenario? {
    var t = s.parameters
    t.gradientBits *= factor
    t.cyclesPerSample = s.cyclesPerSample.map { $0 * factor }
    t.updateCycles *= factor
    t.updateFlops *= factor
    t.devices = s.devices.map { d in
      guard case .gpu(let p) = d.compute else { return d }
      let scaled = GPUProfile(
        baseSeconds: p.baseSeconds * factor, secondsPerSample: p.secondsPerSample * factor,
        thresholdBatch: p.thresholdBatch, flops: p.flops)
      return Device(compute: .gpu(scaled), link: d.link)
    }
    let values =
      [t.gradientBits, t.cyclesPerSample ?? 1, t.updateCycles, t.updateFlops]
      + t.devices.flatMap { d -> [Double] in
        if case .gpu(let p) = d.compute { return [p.baseSeconds, p.secondsPerSample] }
        return []
      }
    guard values.allSatisfy({ $0.isFinite && ($0 > 0 || $0 == 0) }) else { return nil }
    return try? Scenario(t)
  }

  /// The largest ratio between two of the per-device times of `data` (those of
  /// ``SupportedRange``).
  static func timeSpread(_ d: SystemData) -> Double {
    var times: [Double] = []
    for k in 0..<d.count {
      times += [d.uplinkWork[k], d.downlinkWork[k], d.beta[k]]
      if d.updateSeconds[k] > 0 { times.append(d.updateSeconds[k]) }
      let base = d.alpha[k] + d.beta[k] * d.lower[k]
      if d.isGPU[k], base > 0 { times.append(base) }
    }
    return (times.max() ?? 1) / (times.min() ?? 1)
  }

  /// What happened to one instance.
  enum Outcome { case rejected, certified, refused }

  /// Checks one instance: rejected with a named field and range; or certified, with the
  /// certificate verifying again from the allocation and the answer invariant under a
  /// change of units and a permutation; or refused (status not certified, and then the
  /// certificate really does not verify: never a certified status on a failed check).
  /// Instances whose per-device times lie within a factor `certifiedSpread` of each
  /// other must be certified, at the optimum and at a fixed B: 2^53, so that no time of
  /// the scenario is below the last bit of another (Proofs/DynamicRange.md; measured, no
  /// refusal occurs below a spread of about 1e40).
  static func check(
    _ drawn: Result<Scenario, ScenarioError>, _ label: String, _ g: inout SeededGenerator,
    certifiedSpread: Double = 0x1p53
  ) -> Outcome {
    let scenario: Scenario
    switch drawn {
    case .failure(let e):
      #expect(!e.field.isEmpty && e.field != "?", "\(label): \(e)")
      #expect(
        e.reason.contains("supported range") || e.reason.contains("must be"),
        "\(label): the error states what is supported: \(e)")
      return .rejected
    case .success(let s): scenario = s
    }
    guard let solver = try? FEELSolver(scenario) else {
      Issue.record("\(label): a built scenario must compile")
      return .rejected
    }
    let best = solver.optimize()
    let report = solver.verify(best)
    #expect(best.status.isCertified == report.passed, "\(label): \(best.status) vs \(report)")
    let spread = timeSpread(solver.data)
    if spread <= certifiedSpread {
      #expect(best.status.isCertified, "\(label) (time spread \(spread)): \(best.status)")
    }
    let lo = solver.data.minimumGlobalBatch
    let hi = solver.data.maximumGlobalBatch
    let B = (lo + Double(integer(0...1000, &g)) / 1000 * (hi - lo)).rounded()
    if let fixed = try? solver.solve(globalBatch: B) {
      #expect(fixed.status.isCertified == solver.verify(fixed).passed, "\(label) at B = \(B)")
      // These used to miss the 1e-9 gap by up to 2.4e-7 (slot-derived weights carry the
      // cancellation of T − t_k); the compute-bound weights of the certifier close them.
      #expect(
        spread > certifiedSpread || fixed.status.isCertified,
        "\(label) at B = \(B) (time spread \(spread)): \(fixed.status)")
    }
    guard best.status.isCertified else { return .refused }
    #expect(best.learningEfficiency.isFinite && best.learningEfficiency > 0, "\(label)")
    // Change of units by a power of two: exact in binary64 away from the ends.
    let e = Double(integer(-40...40, &g))
    if let scaled = scaledTimes(scenario, by: Foundation.pow(2, e)),
      let other = try? FEELSolver(scaled)
    {
      let s = other.optimize()
      expectCertified(s, verification: other.verify(s), "\(label) scaled by 2^\(e)")
      let back = s.learningEfficiency * Foundation.pow(2, e)
      #expect(
        abs(back - best.learningEfficiency) <= 1e-9 * best.learningEfficiency,
        "\(label) scaled by 2^\(e): \(back) vs \(best.learningEfficiency)")
    }
    // Permutation of the devices.
    if let reversed = try? scenario.with({ $0.devices.reverse() }),
      let other = try? FEELSolver(reversed)
    {
      let r = other.optimize()
      expectCertified(r, verification: other.verify(r), "\(label) reversed")
      #expect(
        abs(r.learningEfficiency - best.learningEfficiency) <= 1e-9 * best.learningEfficiency,
        "\(label) reversed: \(r.learningEfficiency) vs \(best.learningEfficiency)")
    }
    return .certified
  }

  /// A variant (change of units, permutation) of a certified instance must be certified
  /// too (one used to miss the 1e-9 gap at 4.4e-9; the certifier's alternative weights
  /// close it), and its status must agree with an independent verification.
  static func expectCertified(_ s: Solution, verification: VerificationReport, _ label: String) {
    #expect(s.status.isCertified, "\(label): \(s.status)")
    #expect(s.status.isCertified == verification.passed, "\(label): \(verification)")
  }

  /// Runs `count` draws and prints how many were rejected, certified and refused.
  static func run(
    _ name: String, seed: UInt64, count: Int,
    _ draw: (inout SeededGenerator) -> Result<Scenario, ScenarioError>?
  ) {
    var g = SeededGenerator(seed: seed)
    var tally: [Outcome: Int] = [:]
    for i in 0..<count {
      guard let drawn = draw(&g) else { continue }
      tally[check(drawn, "seed \(seed) instance \(i)", &g), default: 0] += 1
    }
    print(
      "DynamicRange \(name): \(tally[.rejected] ?? 0) rejected, \(tally[.certified] ?? 0) "
        + "certified, \(tally[.refused] ?? 0) refused (not certified, exit 3)")
  }

  @Test func everyInputIndependentAcrossTheWholeRange() {
    Self.run("independent", seed: 0x15_0001, count: 2000) {
      Self.draw(&$0, centers: 0...0, spread: 300)
    }
  }

  @Test func oneScaleAnywhereWithRealisticSpread() {
    Self.run("one scale", seed: 0x15_0002, count: 1000) {
      Self.draw(&$0, centers: -290...290, spread: 3)
    }
  }

  @Test func wideSpreadAroundOneScale() {
    Self.run("wide spread", seed: 0x15_0003, count: 1000) {
      Self.draw(&$0, centers: -250...250, spread: 25)
    }
  }

  @Test func anyUnitOfTime() {
    let seed: UInt64 = 0x15_0004
    var g = SeededGenerator(seed: seed)
    var solved = 0
    var tried = 0
    for i in 0..<1000 {
      let drawn = Self.draw(&g, centers: 0...0, spread: 3)
      let factor = Self.decade(-300...300, &g)
      guard case .success(let base) = drawn else { continue }
      tried += 1
      let scaled: Result<Scenario, ScenarioError>
      do {
        scaled = .success(
          try Scenario(
            name: nil, gradientBits: base.gradientBits * factor, maxBatch: base.maxBatch,
            uplinkFrameSeconds: base.uplinkFrameSeconds,
            downlinkFrameSeconds: base.downlinkFrameSeconds,
            cyclesPerSample: base.cyclesPerSample.map { $0 * factor },
            updateCycles: base.updateCycles * factor, updateFlops: base.updateFlops * factor,
            devices: base.devices.map { d in
              guard case .gpu(let p) = d.compute else { return d }
              let scaled = GPUProfile(
                baseSeconds: p.baseSeconds * factor,
                secondsPerSample: p.secondsPerSample * factor, thresholdBatch: p.thresholdBatch,
                flops: p.flops)
              return Device(compute: .gpu(scaled), link: d.link)
            }))
      } catch let e as ScenarioError {
        scaled = .failure(e)
      } catch {
        scaled = .failure(ScenarioError(field: "?", reason: "\(error)"))
      }
      let outcome = Self.check(scaled, "seed \(seed) instance \(i) (times × \(factor))", &g)
      if outcome == .certified { solved += 1 }
      // The base scenario's times lie within a factor 1e6 of each other, so a change of
      // units, however large, must leave it certified (or rejected at the ends).
      #expect(outcome != .refused, "seed \(seed) instance \(i) (times × \(factor))")
    }
    print("DynamicRange units: \(solved) of \(tried) certified")
  }

  /// The example of the issue: uplink rates 1e-20 and 1e20 bit/s beside an ordinary
  /// device. The round is dominated by the slow upload (about 2.6e28 s), so compute is
  /// below its last bit and every device at B^max is optimal.
  @Test func extremeRatesBesideAnOrdinaryDeviceAreCertified() throws {
    for (slow, fast) in [(1e-20, 1e20), (1e-50, 1e50), (1e-3, 1e12)] {
      let s = try Scenario(
        gradientBits: 2.58e8, cyclesPerSample: 3e8, updateCycles: 1.6e7,
        devices: [
          Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: slow, downlinkBps: 1e8)),
          Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: fast, downlinkBps: 1e8)),
          Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 5e7, downlinkBps: 1e8)),
        ])
      let solver = try FEELSolver(s)
      let best = solver.optimize()
      #expect(best.status == .certified, "\(slow), \(fast): \(best.status)")
      #expect(Verifier.verify(best, data: solver.data).passed)
      if slow <= 1e-20 {
        #expect(best.batches == [128, 128, 128], "\(slow): \(best.batches)")
      }
    }
  }

  /// Found by this suite: a GPU whose flat latency is 1e20 s beside two CPUs whose compute
  /// is below the last bit of that round. Every CPU batch then needs the same slot, so the
  /// CPUs take B^max for free and the GPU stays at its threshold: B* = 10 + 64 + 64. The
  /// water-filling used to put such devices at their lower bound (B* = 12, gap 3).
  @Test func devicesBelowTheLastBitOfTheRoundTakeTheirLargestBatch() throws {
    let s = try Scenario(
      gradientBits: 1e6, maxBatch: 64, cyclesPerSample: 1e6,
      devices: [
        Device(
          compute: .gpu(
            GPUProfile(baseSeconds: 1e20, secondsPerSample: 1e20, thresholdBatch: 10, flops: 1e12)),
          link: .rates(uplinkBps: 1e6, downlinkBps: 1e6)),
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e6)),
        Device(compute: .cpu(hz: 3e9), link: .rates(uplinkBps: 1e7, downlinkBps: 1e6)),
      ])
    let solver = try FEELSolver(s)
    let best = solver.optimize()
    #expect(best.status == .certified, "\(best.status)")
    #expect(best.batches == [10, 64, 64], "\(best.batches)")
    for B in [12.0, 100, 138, 140] {
      let fixed = try solver.solve(globalBatch: B)
      #expect(fixed.status == .certified, "B = \(B): \(fixed.status)")
      #expect(Verifier.verify(fixed, data: solver.data).passed, "B = \(B)")
    }
    // Below 138 the GPU stays at 10 and the round is its flat latency.
    let at100 = try solver.solve(globalBatch: 100)
    #expect(at100.batches[0] == 10 && at100.uplinkSeconds == 1e20, "\(at100.batches)")
  }

  /// Found by this suite (seed 0x15_0002, instance 50; refused before, relative gap 0.15):
  /// two GPUs and a CPU whose uploads are 1e-52 of the round. The round is GPU 1's flat
  /// latency (its threshold 74), the CPU computes B^max = 76 for free, and GPU 0 fills up
  /// to that latency: B_0 = 20 + (t_1^ℓ − t_0^ℓ)/c_0. The slot-derived weights put all the
  /// mass on one device and the batch price at the left slope of the kink; the
  /// compute-bound weights at the tangent price certify it.
  @Test func aKinkOfComputeBoundGPUsIsCertified() throws {
    let s = try Scenario(
      json: Data(
        """
        {"gradientBits": 2.83045319523285e+49, "maxBatch": 76,
         "uplinkFrameSeconds": 4.021039225439617e+50, "downlinkFrameSeconds": 9.030032986928527e+48,
         "cyclesPerSample": 3.1085929486234716e+47, "updateCycles": 8.49047411211668e+48,
         "updateFlops": 1.4821839884590895e+53, "devices": [
          {"gpu": {"baseSeconds": 7.185485743562113e+49, "secondsPerSample": 8.142334643173315e+51,
                   "thresholdBatch": 20, "flops": 7.721518180680485e+48},
           "uplinkBps": 1.9364875398767906e+48, "downlinkBps": 2.2388708075251657e+52},
          {"gpu": {"baseSeconds": 1.1180093295791021e+52, "secondsPerSample": 4.6957858862132745e+52,
                   "thresholdBatch": 74, "flops": 1.1547543081550238e+50},
           "uplinkBps": 6.763745267190145e+52, "downlinkBps": 1.0929812966270315e+53},
          {"cpuHz": 4.343156535865939e+51, "uplinkBps": 2.821629276805799e+52,
           "downlinkBps": 9.165433174976893e+51}]}
        """.utf8))
    let solver = try FEELSolver(s)
    let best = solver.optimize()
    #expect(best.status == .certified, "\(best.status)")
    #expect(solver.verify(best).passed, "\(solver.verify(best))")
    let b0 = 20 + (1.1180093295791021e+52 - 7.185485743562113e+49) / 8.142334643173315e+51
    #expect(abs(best.batches[0] - b0) <= 1e-9 * b0, "\(best.batches) vs B_0 = \(b0)")
    #expect(best.batches[1] == 74 && best.batches[2] == 76, "\(best.batches)")
  }

  /// Found by this suite (seed 0x15_0002, instance 35 at B = 378; refused before with
  /// relative gap 2.4e-7, a known issue): two CPUs, both interior, uploads 4e-9 of the
  /// round, at 1e-239 s. The weights ∝ 1/β_k certify it.
  @Test func interiorDevicesWithShortUploadsAreCertifiedAtFixedB() throws {
    let s = try Scenario(
      json: Data(
        """
        {"gradientBits": 1.1028087369223402e-239, "maxBatch": 250,
         "uplinkFrameSeconds": 5.046116716958935e-240, "downlinkFrameSeconds": 4.347511684504112e-239,
         "cyclesPerSample": 2.869355912916879e-235, "updateCycles": 2.3657437386963365e-238,
         "updateFlops": 6.955310816422478e-235, "devices": [
          {"cpuHz": 1.579980359291708e-240, "uplinkBps": 7.22119681862451e-239,
           "downlinkBps": 4.8905852572707014e-237},
          {"cpuHz": 1.467186352554501e-240, "uplinkBps": 2.854000363156262e-235,
           "downlinkBps": 1.8933119235390888e-239}]}
        """.utf8))
    let solver = try FEELSolver(s)
    let fixed = try solver.solve(globalBatch: 378)
    #expect(fixed.status == .certified, "\(fixed.status)")
    #expect(solver.verify(fixed).passed, "\(solver.verify(fixed))")
    #expect(abs(fixed.batches.reduce(0, +) - 378) <= 1e-9 * 378, "\(fixed.batches)")
  }
}
