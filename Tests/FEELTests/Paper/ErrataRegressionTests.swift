import FEEL
import FEELTestSupport
import Foundation
import Testing

/// Counterexamples to corrections of the paper's remarks that this package once stated
/// too broadly, and to the remarks at the optimum over B (Proofs/Remarks.md). Each fleet is
/// given inline; each expectation comes from the mathematics of Proofs/Remarks.md or from
/// the audit that found it, not from an earlier run of the solver.
@Suite struct ErrataRegressionTests {
  static func scenario(_ json: String) throws -> Scenario {
    try Scenario(json: Data(json.utf8))
  }

  /// The fleet of the first counterexample, with device 2's uplink rate as given.
  static func remark2Fleet(uplink2: Double) throws -> Scenario {
    try scenario(
      """
      {"gradientBits": 1000000.0, "cyclesPerSample": 10000000.0, "maxBatch": 128, "devices": [
      {"cpuHz": 15425311.01454502, "uplinkBps": 303458.31938019925, "downlinkBps": 1000000.0},
      {"cpuHz": 14390656974.052082, "uplinkBps": 887577.5072183014, "downlinkBps": 1000000.0},
      {"cpuHz": 68149615.82018405, "uplinkBps": \(uplink2), "downlinkBps": 1000000.0}]}
      """)
  }

  /// "B_j* is nondecreasing in R_j^U whenever ρ_j ≤ 1/2" (this package's first correction
  /// of Remark 2) is false once another device sits at a batch bound. At B = 220.5591 the
  /// batches are (10.678, 128, 81.881); device 2's uplink 2.675 times faster gives
  /// (11.273, 128, 81.286): B_2 falls while device 1 sits at B^max, with ρ_2 = 0.0047
  /// overall. What decides is the share among the interior devices, π_2 = V_2/(V_0 + V_2)
  /// = 0.815 > 1/2, and the bracket 2π_j − 1 − δ − σ_j(1 − δ) of ∂B_j/∂q_j is positive.
  @Test func remark2BatchCanFallAtASmallOverallShareWhenAnotherDeviceIsAtBmax() throws {
    let B = 220.5591
    let before = try FEELSolver(Self.remark2Fleet(uplink2: 3129895.5753439497)).uplink(
      globalBatch: B)
    let after = try FEELSolver(Self.remark2Fleet(uplink2: 8373684.290334846)).uplink(
      globalBatch: B)
    // The batches are those of Algorithm 1 (independent of the solver), device 1 at B^max.
    for (uplink2, up) in [(3129895.5753439497, before), (8373684.290334846, after)] {
      let data = try SystemData(Self.remark2Fleet(uplink2: uplink2))
      let reference = try Algorithm1(data: data, tolerance: 1e-12).solve(globalBatch: B)
      for k in 0..<3 {
        #expect(abs(up.batches[k] - reference.batches[k]) <= 1e-6 * 128, "\(up.batches)")
      }
      #expect(up.batches[1] == 128)
    }
    #expect(after.batches[2] < before.batches[2])
    let V = [15425311.01454502, 14390656974.052082, 68149615.82018405].map { $0 / 1e7 }
    #expect(V[2] / V.reduce(0, +) < 0.005)
    #expect(abs(V[2] / (V[0] + V[2]) - 0.815) <= 5e-4)
    let data = try SystemData(Self.remark2Fleet(uplink2: 3129895.5753439497))
    let sensitivity = UplinkSensitivity(data: data, up: before)
    #expect(sensitivity.regime == [0, 1, 0])
    #expect(sensitivity.batchRateSlope(2) > 0)
  }

  /// The fleet of the second counterexample, with device 1's CPU as given.
  static func remark3Fleet(hz1: Double) throws -> Scenario {
    try scenario(
      """
      {"gradientBits": 1000000.0, "cyclesPerSample": 10000000.0, "maxBatch": 128, "devices": [
      {"cpuHz": 6666666666.666667, "uplinkBps": 3039513.67781155, "downlinkBps": 1000000.0},
      {"cpuHz": \(hz1), "uplinkBps": 6211180.124223602, "downlinkBps": 1000000.0},
      {"cpuHz": 261096605.74412534, "uplinkBps": 55555555.55555556, "downlinkBps": 1000000.0}]}
      """)
  }

  /// "Remark 3's compute half holds only for devices clipped at ℓ_k" (this package's first
  /// correction) is false: at B = 172 the batches are (128, 36.954, 7.046) with uplink
  /// slots (0.6376, 0.32132, 0.04108); device 1, interior, 1.5 times slower gives
  /// (128, 33.250, 10.750) and a slot of 0.34772 — slower, more slot, as the paper says,
  /// because device 0 sits at B^max (δ > 0 in ∂x_j/∂V_j of Proofs/Remarks.md).
  @Test func remark3SlowerInteriorDeviceCanGetMoreSlotWhenAnotherIsAtBmax() throws {
    let before = try FEELSolver(Self.remark3Fleet(hz1: 1785714285.7142859)).uplink(
      globalBatch: 172)
    let after = try FEELSolver(Self.remark3Fleet(hz1: 1190476190.4761906)).uplink(
      globalBatch: 172)
    // The allocations are those of Algorithm 1 (an independent implementation of Theorem 1,
    // not the solver's numbers pasted back), device 0 at B^max in both, device 1 interior.
    for (hz1, up) in [(1785714285.7142859, before), (1190476190.4761906, after)] {
      let data = try SystemData(Self.remark3Fleet(hz1: hz1))
      let reference = try Algorithm1(data: data, tolerance: 1e-12).solve(globalBatch: 172)
      for k in 0..<3 {
        #expect(abs(up.batches[k] - reference.batches[k]) <= 1e-6 * 128, "\(up.batches)")
        let x = reference.slotSeconds[k] / data.uplinkFrameSeconds
        #expect(abs(up.fractions[k] - x) <= 1e-9, "\(up.fractions) vs \(x)")
      }
      #expect(up.batches[0] == 128 && up.batches[1] > 1 && up.batches[1] < 128)
    }
    // The claim: slower, and more of the frame.
    #expect(after.fractions[1] > before.fractions[1])
    let data = try SystemData(Self.remark3Fleet(hz1: 1785714285.7142859))
    let sensitivity = UplinkSensitivity(data: data, up: before)
    #expect(sensitivity.regime == [1, 0, 0])
    #expect(sensitivity.slotSpeedSlope(1) < 0)
  }

  /// Remark 3's rate half fails across the devices of one allocation, as Remark 5 does:
  /// two interior CPUs, device 0 nine times faster (β = 0.01 vs 0.09 s) and with the better
  /// uplink (a = 1/120 vs 1/100 s), B = 50. With q_k = √(a_k V_k), x_k = q_k/Σq:
  /// q = (√(100/120), 1/3), x_0 = 0.7325 > x_1.
  @Test func remark3BetterLinkCanGetTheLargerSlotAcrossDevices() throws {
    let s = try RemarkPropertiesTests.fleet(hz: [1e9, 1e9 / 9], uplink: [1.2e8, 1e8])
    let up = try FEELSolver(s).uplink(globalBatch: 50)
    let q = [(100.0 / 120).squareRoot(), 1.0 / 3]
    let x0 = q[0] / (q[0] + q[1])
    #expect(abs(up.fractions[0] - x0) <= 1e-12 && abs(x0 - 0.7325) <= 1e-4)
    #expect(up.fractions[0] > up.fractions[1])
  }

  /// Remark 2's rate half fails at the optimum over B: for one device the round is
  /// βB + a + d + m and ξ√B/(βB + c) is maximal at B* = c/β, clipped to [1, B^max]. With
  /// β = 0.01 s, a = 1 s, d = 0.1 s, m = 0: B* = 110; twice the uplink rate (a = 0.5 s)
  /// gives B* = 60 — a better uplink, a smaller batch. Twice the CPU speed gives B* = 220
  /// (the compute half holds here).
  @Test func remark2BetterUplinkGivesOneDeviceASmallerOptimalBatch() throws {
    func optimum(hz: Double, uplink: Double) throws -> Double {
      try FEELSolver(
        Scenario(
          gradientBits: 1e6, maxBatch: 1000, cyclesPerSample: 1e7,
          devices: [
            Device(compute: .cpu(hz: hz), link: .rates(uplinkBps: uplink, downlinkBps: 1e7))
          ])
      ).optimize().globalBatch
    }
    let base = try optimum(hz: 1e9, uplink: 1e6)
    let betterLink = try optimum(hz: 1e9, uplink: 2e6)
    let fasterCPU = try optimum(hz: 2e9, uplink: 1e6)
    #expect(abs(base - 110) <= 1e-6 * 110, "\(base)")
    #expect(abs(betterLink - 60) <= 1e-6 * 60, "\(betterLink)")
    #expect(abs(fasterCPU - 220) <= 1e-6 * 220, "\(fasterCPU)")
  }

  /// Remark 3 at the optimum over B: two CPUs, device 0 nine times faster (β = 0.01 s vs
  /// 0.09 s), s = 1 Mbit, uplinks R_0 and 1 Mbit/s, downlinks 100 Mbit/s (T^D = 0.02 s),
  /// B^max = 1000. At the optimum device 1 takes one sample and device 0 is interior, so
  /// with x the slot of device 0: T = 0.09 + a_1/(1 − x), B_0 = V_0(T − a_0/x) and
  /// E(x) = √(1 + B_0)/(T + 0.02), maximized here by golden-section search, independently
  /// of the solver. With equal links the faster device gets the larger slot (x ≈ 0.70), and
  /// a faster CPU raises it further; with R_0 = 1.2 Mbit/s the device with the better link
  /// still gets the larger slot. Both halves of Remark 3 fail across devices at B*, and the
  /// compute half fails as comparative statics at B* too.
  @Test func remark3FailsAtTheOptimumOverB() throws {
    func model(hz0: Double, uplink0: Double) -> (x: Double, efficiency: Double) {
      let (a0, a1, v0) = (1e6 / uplink0, 1.0, hz0 / 1e7)
      func efficiency(_ x: Double) -> Double {
        let T = 0.09 + a1 / (1 - x)
        return (1 + v0 * (T - a0 / x)).squareRoot() / (T + 0.02)
      }
      var (lo, hi) = (0.5, 0.9)
      let r = (5.0.squareRoot() - 1) / 2
      for _ in 0..<200 {
        let m1 = hi - r * (hi - lo)
        let m2 = lo + r * (hi - lo)
        if efficiency(m1) < efficiency(m2) { lo = m1 } else { hi = m2 }
      }
      return ((lo + hi) / 2, efficiency((lo + hi) / 2))
    }
    func solve(hz0: Double, uplink0: Double) throws -> Solution {
      try FEELSolver(
        Scenario(
          gradientBits: 1e6, maxBatch: 1000, cyclesPerSample: 1e7,
          devices: [
            Device(compute: .cpu(hz: hz0), link: .rates(uplinkBps: uplink0, downlinkBps: 1e8)),
            Device(compute: .cpu(hz: 1e9 / 9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e8)),
          ])
      ).optimize()
    }
    var slots = [Double]()
    for (hz0, uplink0) in [(1e9, 1e6), (2e9, 1e6), (1e9, 1.2e6)] {
      let m = model(hz0: hz0, uplink0: uplink0)
      let best = try solve(hz0: hz0, uplink0: uplink0)
      let x = best.uplinkSlotSeconds.map { $0 / 0.01 }
      #expect(abs(best.batches[1] - 1) <= 1e-9, "\(best.batches)")
      #expect(abs(best.learningEfficiency - m.efficiency) <= 1e-9 * m.efficiency)
      #expect(abs(x[0] - m.x) <= 1e-6, "solver \(x[0]), model \(m.x)")
      #expect(m.x > 0.5, "the faster device (with the better or an equal link) gets more slot")
      slots.append(m.x)
    }
    #expect(slots[1] > slots[0] + 1e-4, "faster CPU, more slot at B*: \(slots)")
  }
}
