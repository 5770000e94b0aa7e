import FEEL
import FEELTestSupport
import Foundation
import Testing

/// Remarks 2, 3 and 5 (Proofs/Remarks.md): the monotonicity they describe, at a fixed
/// global batch (Theorem 1's setting), on seeded random CPU fleets and on fixtures where
/// the printed claim fails.
@Suite struct RemarkPropertiesTests {
  static func fleet(
    hz: [Double], uplink: [Double], downlink: [Double]? = nil, updateCycles: Double = 0
  )
    throws -> Scenario
  {
    let down = downlink ?? uplink
    return try Scenario(
      gradientBits: 1e6, maxBatch: 128, cyclesPerSample: 1e7, updateCycles: updateCycles,
      devices: (0..<hz.count).map {
        Device(
          compute: .cpu(hz: hz[$0]), link: .rates(uplinkBps: uplink[$0], downlinkBps: down[$0]))
      })
  }

  /// One random instance, one device j and a factor f > 1, at a random fixed B.
  static func perturbations(
    seed: UInt64, count: Int = 200
  ) throws -> [(Scenario, Int, Double, Double)] {
    var g = SeededGenerator(seed: seed)
    return try (0..<count).map { _ in
      let s = try PaperInstances.cpuScenario(deviceRange: 2...8, using: &g)
      let B = PaperInstances.globalBatch(for: try SystemData(s), using: &g)
      return (s, Int.random(in: 0..<s.devices.count, using: &g), g.logUniform(1.001...10), B)
    }
  }

  // MARK: Remark 2

  /// B_j* is nondecreasing in V_j = f_j/C at fixed B (all-interior proof in
  /// Proofs/Remarks.md; checked here in every regime).
  @Test func remark2BatchIsNondecreasingInComputeSpeedAtFixedB() throws {
    let seed: UInt64 = 0x2A
    for (i, (s, j, f, B)) in try Self.perturbations(seed: seed).enumerated() {
      let a = try FEELSolver(s).uplink(globalBatch: B)
      let b = try FEELSolver(PaperInstances.withDevice(s, j, computeSpeedup: f)).uplink(
        globalBatch: B)
      #expect(
        b.batches[j] >= a.batches[j] - 1e-9 * Double(s.maxBatch),
        "seed \(seed) instance \(i) device \(j)")
    }
  }

  /// Counterexample to "the batch size increases with the uplink rate": two CPUs with
  /// β = (0.01, 0.09) s/sample (ρ_0 = 0.9) and a_k = 0.01 s, B = 50. All interior, so
  /// with u_k = √(a_k V_k) and S = Σ u_k: B_0 = ρ_0(B + S²) − S·u_0 = 45.2667; with R_0 ×4
  /// (u_0 = 1 → 0.5) B_0 = 45.2083: a better link gives device 0 a smaller batch.
  @Test func remark2BatchCanDecreaseWhenTheUplinkRateIncreases() throws {
    let before = try FEELSolver(Self.fleet(hz: [1e9, 1e9 / 9], uplink: [1e8, 1e8])).uplink(
      globalBatch: 50)
    let after = try FEELSolver(Self.fleet(hz: [1e9, 1e9 / 9], uplink: [4e8, 1e8])).uplink(
      globalBatch: 50)
    let b0 = 0.9 * (50 + 16.0 / 9) - 4.0 / 3
    let b1 = 0.9 * (50 + 25.0 / 36) - 5.0 / 12
    #expect(abs(before.batches[0] - b0) <= 1e-9 && abs(after.batches[0] - b1) <= 1e-9)
    #expect(after.batches[0] < before.batches[0])
  }

  /// The corrected statement, all devices interior: dB_j/du_j = (2ρ_j − 1)S − u_j, so
  /// B_j* is nondecreasing in R_j^U iff (2ρ_j − 1)·S ≤ u_j; in particular when ρ_j ≤ 1/2.
  @Test func remark2BatchIsNondecreasingInUplinkRateWhenPriorityIsAtMostHalf() throws {
    let seed: UInt64 = 0x2B
    var checked = 0
    for (i, (s, j, f, B)) in try Self.perturbations(seed: seed).enumerated() {
      let data = try SystemData(s)
      let sumV = data.beta.reduce(0) { $0 + 1 / $1 }
      guard (1 / data.beta[j]) / sumV <= 0.5 else { continue }
      checked += 1
      let a = try FEELSolver(s).uplink(globalBatch: B)
      let b = try FEELSolver(PaperInstances.withDevice(s, j, uplinkFactor: f)).uplink(
        globalBatch: B)
      #expect(
        b.batches[j] >= a.batches[j] - 1e-9 * data.maxBatch,
        "seed \(seed) instance \(i) device \(j)")
    }
    #expect(checked >= 100)
  }

  /// Across devices of one optimal allocation: B_k* = [T V_k − w√(a_k V_k)]_1^{B^max}
  /// with one w for all, so a device that is at least as fast and has at least as good a
  /// link never gets a smaller batch.
  @Test func remark2DominatingDeviceGetsAtLeastTheBatch() throws {
    let seed: UInt64 = 0x2C
    var g = SeededGenerator(seed: seed)
    for i in 0..<200 {
      let s = try PaperInstances.cpuScenario(deviceRange: 2...10, using: &g)
      let up = try FEELSolver(s).uplink(
        globalBatch: PaperInstances.globalBatch(for: try SystemData(s), using: &g))
      let data = try SystemData(s)
      for k in 0..<data.count {
        for l in 0..<data.count
        where data.beta[l] <= data.beta[k] && data.uplinkWork[l] <= data.uplinkWork[k] {
          #expect(
            up.batches[l] >= up.batches[k] - 1e-9 * data.maxBatch,
            "seed \(seed) instance \(i): \(l) vs \(k)")
        }
      }
    }
  }

  // MARK: Remark 3

  /// A better uplink for one device never gives it more of the frame at fixed B.
  @Test func remark3SlotIsNonincreasingInUplinkRateAtFixedB() throws {
    let seed: UInt64 = 0x3A
    for (i, (s, j, f, B)) in try Self.perturbations(seed: seed).enumerated() {
      let a = try FEELSolver(s).uplink(globalBatch: B)
      let b = try FEELSolver(PaperInstances.withDevice(s, j, uplinkFactor: f)).uplink(
        globalBatch: B)
      #expect(
        b.fractions[j] <= a.fractions[j] * (1 + 1e-9), "seed \(seed) instance \(i) device \(j)")
    }
  }

  /// Counterexample to "when the local training speed decreases, the device should
  /// occupy more time-slot resources": interior devices get x_k = √(a_k V_k)/S, which
  /// grows with V_k. Same fleet as above: the fast device takes 3/4 of the frame.
  @Test func remark3FasterInteriorDeviceGetsTheLargerSlot() throws {
    let up = try FEELSolver(Self.fleet(hz: [1e9, 1e9 / 9], uplink: [1e8, 1e8])).uplink(
      globalBatch: 50)
    #expect(abs(up.fractions[0] - 0.75) <= 1e-12 && abs(up.fractions[1] - 0.25) <= 1e-12)
  }

  // MARK: Remark 5

  /// A worse downlink for one device gives it more of the downlink frame: T^D rises,
  /// every other y_k = d_k/(T^D − m_k) falls, and Σ y_k = 1.
  @Test func remark5WorseDownlinkGetsMoreSlot() throws {
    let seed: UInt64 = 0x5A
    for (i, (s, j, f, _)) in try Self.perturbations(seed: seed).enumerated() {
      let a = try FEELSolver(s).downlink()
      let b = try FEELSolver(PaperInstances.withDevice(s, j, downlinkFactor: 1 / f)).downlink()
      #expect(
        b.fractions[j] >= a.fractions[j] * (1 - 1e-12), "seed \(seed) instance \(i) device \(j)")
    }
  }

  /// Across devices of one allocation the claim needs equal update latencies
  /// m_k = M^C/f_k: device 0 has the worse downlink (d = 0.1 s vs 0.05 s) but a fast CPU
  /// (m = 9 ms vs 0.9 s), and gets the smaller slot (≈ 0.105 vs ≈ 0.895).
  @Test func remark5WorseChannelCanGetLessSlotWhenUpdateLatenciesDiffer() throws {
    let s = try Self.fleet(
      hz: [1e11, 1e9], uplink: [1e7, 1e7], downlink: [1e7, 2e7], updateCycles: 9e8)
    let y = try FEELSolver(s).downlink().fractions
    #expect(y[0] < y[1], "\(y)")
    // With equal update latencies (M^C = 0) the order follows the channel.
    let z = try FEELSolver(Self.fleet(hz: [1e11, 1e9], uplink: [1e7, 1e7], downlink: [1e7, 2e7]))
      .downlink()
      .fractions
    #expect(z[0] > z[1], "\(z)")
  }
}
