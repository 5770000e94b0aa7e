import FEEL
import FEELTestSupport
import Foundation
import Testing

/// Lemma 2 (Appendix C): at the optimum of P6 every GPU works in its compute-bound region,
/// B_k ≥ B_k^th, so P6 reduces to P7. And P6 at a fixed global batch below Σ B_k^th, where
/// the devices sit in their data-bound region, is solved exactly.
@Suite struct GPULemma2Tests {
  /// The true local latency from the scenario alone (eq. 9 or eq. 27).
  static func latency(_ s: Scenario, _ k: Int, _ b: Double) -> Double {
    switch s.devices[k].compute {
    case .cpu(let hz): return b * (s.cyclesPerSample ?? .nan) / hz
    case .gpu(let g): return g.latency(batch: b)
    }
  }

  /// Two devices, a GPU (eq. 27, B_k^th uniform in `thresholds`, t^ℓ in 1e-3…1 s, c in
  /// 1e-5…1e-1 s/sample) or a CPU (f in 1e8…5e9 Hz) each, uplinks in 1e5…1e9 bit/s.
  static func twoDevices(
    _ gpu0: Bool, _ gpu1: Bool, maxBatch: Int, thresholds: ClosedRange<Int>,
    _ rng: inout SeededGenerator
  ) throws -> Scenario {
    var devices: [Device] = []
    for isGPU in [gpu0, gpu1] {
      let th = rng.int(in: thresholds)
      let compute: Compute =
        isGPU
        ? .gpu(
          GPUProfile(
            baseSeconds: rng.logUniform(1e-3...1), secondsPerSample: rng.logUniform(1e-5...1e-1),
            thresholdBatch: th, flops: 1e12))
        : .cpu(hz: rng.logUniform(1e8...5e9))
      devices.append(
        Device(
          compute: compute, link: .rates(uplinkBps: rng.logUniform(1e5...1e9), downlinkBps: 1e8)))
    }
    return try Scenario(
      gradientBits: rng.logUniform(1e4...1e7), maxBatch: maxBatch,
      cyclesPerSample: rng.logUniform(1e4...1e7), devices: devices)
  }

  /// Two devices, batches fixed: the slot x of device 0 equalizing c0 + a0/x and
  /// c1 + a1/(1 − x), the root in (0, 1) of D·x² − (D + a0 + a1)·x + a0 = 0 with
  /// D = c1 − c0, in the cancellation-free form 2a0/(S + √(S² − 4·D·a0)). Each device's
  /// slot is computed by this formula from its own side (so 1 − x never cancels); the two
  /// finishing times agree in exact arithmetic and the larger is returned.
  static func twoDeviceRound(c0: Double, c1: Double, a0: Double, a1: Double) -> Double {
    func slot(_ c: Double, _ a: Double, _ cOther: Double, _ aOther: Double) -> Double {
      let D = cOther - c
      let S = D + a + aOther
      return 2 * a / (S + (S * S - 4 * D * a).squareRoot())
    }
    return max(c0 + a0 / slot(c0, a0, c1, a1), c1 + a1 / slot(c1, a1, c0, a0))
  }

  @Test(arguments: [RandomScenarioKind.gpu, .mixed])
  func optimalBatchesOfGPUsAreComputeBound(kind: RandomScenarioKind) throws {
    let seed: UInt64 = kind == .gpu ? 0x1E_4A2 : 0x1E_4A3
    forEachInstance(seed: seed, count: 150) { i, rng in
      let scenario = randomScenario(&rng, kind: kind, devices: 1...12)
      let solution = try FEELSolver(scenario).optimize()
      for (k, device) in scenario.devices.enumerated() {
        guard case .gpu(let g) = device.compute else { continue }
        let th = Double(g.thresholdBatch)
        #expect(
          solution.batches[k] >= th * (1 - 1e-12),
          "seed \(seed) instance \(i) device \(k): B_k \(solution.batches[k]) < B_k^th \(th)")
      }
    }
  }

  /// The optimum carries a certificate the Verifier accepts, also when B* sits at a kink
  /// of T^U (every device at a bound, an integer B*) or at Σ B_k^th: there the batch
  /// price is not unique and must be chosen to meet the first-order condition.
  @Test(arguments: RandomScenarioKind.allCases)
  func optimumIsCertified(kind: RandomScenarioKind) throws {
    let seed: UInt64 = 0x1E_4C0 + kind.ordinal
    forEachInstance(seed: seed, count: 150) { i, rng in
      let scenario = randomScenario(&rng, kind: kind, devices: 1...10)
      let solver = try FEELSolver(scenario)
      let report = Verifier.verify(solver.optimize(), data: solver.data)
      #expect(report.passed, "seed \(seed) instance \(i): \(report)")
    }
  }

  /// Below Σ B_k^th the uplink round length is flat (every device can stay at its flat
  /// latency), so the efficiency ξ√B/T grows strictly with B up to Σ B_k^th.
  @Test(arguments: [RandomScenarioKind.gpu, .mixed])
  func efficiencyBelowTheThresholdSumIsStrictlyLower(kind: RandomScenarioKind) throws {
    let seed: UInt64 = kind == .gpu ? 0x1E_4B2 : 0x1E_4B3
    var checked = 0
    forEachInstance(seed: seed, count: 150) { i, rng in
      let scenario = randomScenario(&rng, kind: kind, devices: 1...12)
      let solver = try FEELSolver(scenario)
      let data = solver.data
      let top = data.affineMinimumBatch  // #CPU + Σ B_k^th
      guard top > data.minimumGlobalBatch else { return }
      checked += 1
      let atTop = try solver.solve(globalBatch: top)
      let best = solver.optimize().learningEfficiency
      for _ in 0..<3 {
        let B = rng.uniform(data.minimumGlobalBatch...top)
        guard B < top else { continue }
        let below = try solver.solve(globalBatch: B)
        let report = Verifier.verify(below, data: data)
        #expect(report.passed, "seed \(seed) instance \(i) B \(B): \(report)")
        #expect(
          abs(below.uplinkSeconds - atTop.uplinkSeconds) <= 1e-12 * atTop.uplinkSeconds,
          "seed \(seed) instance \(i): T^U(\(B)) = \(below.uplinkSeconds) but T^U(Σ th) = \(atTop.uplinkSeconds)"
        )
        #expect(
          below.learningEfficiency < atTop.learningEfficiency,
          "seed \(seed) instance \(i): E(\(B)) = \(below.learningEfficiency) not below E(Σ th)")
        #expect(below.learningEfficiency < best, "seed \(seed) instance \(i)")
      }
    }
    #expect(checked >= PropertyCount.atLeast(100), "only \(checked) instances had Σ B_k^th above K")
  }

  /// P6 at a fixed B with two devices, against a dense search over B_0 (2001 points plus
  /// the kinks of both latencies) with the slots in closed form: the solver is never
  /// beaten, and below Σ B_k^th (where the optimum is a whole flat set or the end point)
  /// the search attains the solver's value — exactness of the data-bound region.
  @Test func p6AtAFixedBatchMatchesADenseTwoDeviceSearch() throws {
    let seed: UInt64 = 0x2DE7_1CE
    let pairs: [(Bool, Bool)] = [(true, true), (false, true), (true, false)]
    var below = 0
    forEachInstance(seed: seed, count: 240) { i, rng in
      let (gpu0, gpu1) = pairs[i % 3]
      let maxBatch = rng.int(in: 2...256)
      let scenario = try Self.twoDevices(
        gpu0, gpu1, maxBatch: maxBatch, thresholds: 1...maxBatch, &rng)
      let solver = try FEELSolver(scenario)
      let data = solver.data
      let sumLower = data.affineMinimumBatch
      let isBelow = i % 2 == 0 && sumLower > 2
      let B = isBelow ? rng.uniform(2...sumLower) : rng.uniform(solver.globalBatchRange)
      if isBelow { below += 1 }
      let a = (0..<2).map { scenario.gradientBits / scenario.rates(of: $0).uplink }
      let top = Double(maxBatch)
      let low = max(1, B - top)
      let high = min(top, B - 1)
      // Both ends exactly: low + (high − low)·2000/2000 can round past `high` and be dropped.
      var grid = (0...2000).map { low + (high - low) * Double($0) / 2000 } + [low, high]
      for k in 0..<2 {
        if case .gpu(let g) = scenario.devices[k].compute {
          let th = Double(g.thresholdBatch)
          grid.append(k == 0 ? th : B - th)
        }
      }
      var best = Double.infinity
      for b0 in grid where b0 >= low && b0 <= high {
        let T = Self.twoDeviceRound(
          c0: Self.latency(scenario, 0, b0), c1: Self.latency(scenario, 1, B - b0), a0: a[0],
          a1: a[1])
        best = min(best, T)
      }
      let exact = try solver.uplink(globalBatch: B)
      #expect(
        exact.roundLength <= best * (1 + 1e-12),
        "seed \(seed) instance \(i) B \(B): solver \(exact.roundLength) beaten by search \(best)")
      #expect(
        exact.certificate.dualBound <= best * (1 + 1e-12), "seed \(seed) instance \(i) B \(B)")
      if isBelow || B <= sumLower {
        #expect(
          abs(best - exact.roundLength) <= 1e-12 * best,
          "seed \(seed) instance \(i) B \(B) < Σ th: solver \(exact.roundLength), search \(best)")
      }
    }
    #expect(below >= PropertyCount.atLeast(60))
  }

  /// Lemma2.md: at a fixed global batch B ≥ Σ ℓ_k every optimum of P6 is compute-bound and
  /// unique (a GPU below B_k^th would let a device above its lower bound shed samples and
  /// finish early, leaving slack where every deadline multiplier is positive). Two devices,
  /// a dense search over B_0 with the slots in closed form, independent of the solver:
  /// every allocation with a GPU below its threshold by more than 10⁻³ of the range, and
  /// every allocation farther than 1 % of the range from the solver's B_0, is strictly
  /// slower than the solver's optimum, and the solver's GPUs are at or above B_k^th.
  @Test func p6AtAFixedBatchAboveTheThresholdSumHasOneComputeBoundOptimum() throws {
    let seed: UInt64 = 0x1E_4D0
    let pairs: [(Bool, Bool)] = [(true, true), (false, true), (true, false)]
    var belowThreshold = 0
    forEachInstance(seed: seed, count: 240) { i, rng in
      let (gpu0, gpu1) = pairs[i % 3]
      let maxBatch = rng.int(in: 4...256)
      let scenario = try Self.twoDevices(
        gpu0, gpu1, maxBatch: maxBatch, thresholds: 2...maxBatch, &rng)
      let thresholds = scenario.devices.map { device -> Double in
        if case .gpu(let profile) = device.compute { return Double(profile.thresholdBatch) }
        return 1
      }
      let solver = try FEELSolver(scenario)
      let top = Double(maxBatch)
      let B = rng.uniform(solver.data.affineMinimumBatch...(2 * top))
      let exact = try solver.uplink(globalBatch: B)
      for k in 0..<2 {
        #expect(
          exact.batches[k] >= thresholds[k] * (1 - 1e-12), "seed \(seed) instance \(i) device \(k)")
      }
      let a = (0..<2).map { scenario.gradientBits / scenario.rates(of: $0).uplink }
      let low = max(1, B - top)
      let high = min(top, B - 1)
      guard high - low > 1e-6 * top else { return }
      for n in 0...2000 {
        let b0 = low + (high - low) * Double(n) / 2000
        let below =
          b0 < thresholds[0] - 1e-3 * (high - low)
          || B - b0 < thresholds[1] - 1e-3 * (high - low)
        let far = abs(b0 - exact.batches[0]) > 1e-2 * (high - low)
        guard below || far else { continue }
        if below { belowThreshold += 1 }
        let T = Self.twoDeviceRound(
          c0: Self.latency(scenario, 0, b0), c1: Self.latency(scenario, 1, B - b0), a0: a[0],
          a1: a[1])
        #expect(
          T > exact.roundLength,
          "seed \(seed) instance \(i) B \(B) B_0 \(b0): \(T) not above \(exact.roundLength)")
      }
    }
    #expect(belowThreshold >= 10_000, "only \(belowThreshold) allocations below a threshold")
  }

  /// Regression: a GPU fleet whose optimum sits at a kink of B(T) where every device is
  /// at a bound (the slot water level is not unique there). `optimize()` once reported
  /// B = K·B^max with an efficiency 22 times below the optimum.
  @Test func optimumAtAKinkWhereEveryDeviceIsClipped() throws {
    let json = """
      {"gradientBits":104029.20745683485,"lossDecayCoefficient":1.1344202805953205,"maxBatch":397,
      "uplinkFrameSeconds":0.002809662186577378,"downlinkFrameSeconds":0.003925264779771653,
      "updateFlops":301847949.76441056,"devices":[
      {"gpu":{"baseSeconds":0,"secondsPerSample":0.0007369444016249943,"thresholdBatch":64,"flops":531696969692.76624},"uplinkBps":491375400.8891574,"downlinkBps":70718885.71937634},
      {"gpu":{"baseSeconds":0.00013742884014328427,"secondsPerSample":2.5186639257751045e-05,"thresholdBatch":109,"flops":3228526526220.437},"uplinkBps":779503974.2336115,"downlinkBps":16147373.604540026},
      {"gpu":{"baseSeconds":0.0018570984773362612,"secondsPerSample":1.534746298194417e-05,"thresholdBatch":381,"flops":364837420496.0984},"uplinkBps":382837623.3430049,"downlinkBps":11835204.739592886},
      {"gpu":{"baseSeconds":0.00012024342062097659,"secondsPerSample":0.038944242000941126,"thresholdBatch":386,"flops":5949150340286.8125},"uplinkBps":28097765.11604464,"downlinkBps":729677625.2394919},
      {"gpu":{"baseSeconds":0.11923682231384594,"secondsPerSample":0.06083824550943601,"thresholdBatch":120,"flops":7423136617876.937},"uplinkBps":176379.6113625576,"downlinkBps":3358894.991993821},
      {"gpu":{"baseSeconds":0.0003186952518637228,"secondsPerSample":1.8470338776396118e-05,"thresholdBatch":266,"flops":13181451333542.574},"uplinkBps":37007668.68652099,"downlinkBps":783871.8532431851},
      {"gpu":{"baseSeconds":0.002912198191442116,"secondsPerSample":0.0007201632577227617,"thresholdBatch":376,"flops":100800244248.85927},"uplinkBps":78964350.85526067,"downlinkBps":916247349.1883007},
      {"gpu":{"baseSeconds":0.0072487720291655915,"secondsPerSample":2.2542930408637618e-06,"thresholdBatch":104,"flops":257316038322.28326},"uplinkBps":47678744.37687745,"downlinkBps":448618352.4260634},
      {"gpu":{"baseSeconds":0,"secondsPerSample":0.06559011476571833,"thresholdBatch":40,"flops":420232920226.4934},"uplinkBps":16597952.615679292,"downlinkBps":143880843.67830008},
      {"gpu":{"baseSeconds":0.007301132402258303,"secondsPerSample":0.00014901914179033454,"thresholdBatch":176,"flops":1147232884513.2063},"uplinkBps":603155176.3396423,"downlinkBps":1644766.8360778866}]}
      """
    let solver = try FEELSolver(Scenario(json: Data(json.utf8)))
    let best = solver.optimize()
    let range = solver.globalBatchRange
    var scanned = 0.0
    for j in 0...400 {
      let B = range.lowerBound + (range.upperBound - range.lowerBound) * Double(j) / 400
      scanned = max(scanned, try solver.solve(globalBatch: B).learningEfficiency)
    }
    for d in [-1.0, -0.01, 0.01, 1] {
      scanned = max(scanned, try solver.solve(globalBatch: best.globalBatch + d).learningEfficiency)
    }
    #expect(
      best.learningEfficiency >= scanned * (1 - 1e-12), "\(best.learningEfficiency) < \(scanned)")
    let online = try Baseline.onlineLearning.evaluate(solver, slots: .optimal)
    #expect(best.learningEfficiency > online.learningEfficiency)
  }
}
