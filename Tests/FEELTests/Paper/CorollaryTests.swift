import FEEL
import FEELTestSupport
import Foundation
import Testing

/// Corollaries 1 and 2 and Theorem 1's closed form (Proofs/Corollary1.md,
/// Proofs/Corollary2.md, Proofs/Theorem1.md), on random instances against the exact solver.
@Suite struct CorollaryTests {
  /// One random instance solved at a random global batch.
  struct Case {
    var data: SystemData
    var B: Double
    var up: FEELSolver.Uplink
    var dL: Double { data.lossDecayCoefficient * B.squareRoot() }
    var E: Double { up.roundLength / dL }
    var mu: Corollaries.PaperMultiplier {
      Corollaries.paperMultiplier(
        data: data, globalBatch: B, batches: up.batches, fractions: up.fractions,
        roundLength: up.roundLength)
    }
  }

  static func cases(seed: UInt64, count: Int = 200, mixed: Bool = false) throws -> [Case] {
    var g = SeededGenerator(seed: seed)
    return try (0..<count).map { _ in
      let s =
        mixed
        ? try PaperInstances.mixedScenario(devices: g.int(in: 1...10), using: &g)
        : try PaperInstances.cpuScenario(using: &g)
      let data = try SystemData(s)
      let B = PaperInstances.globalBatch(for: data, using: &g)
      return Case(data: data, B: B, up: try FEELSolver(s).uplink(globalBatch: B))
    }
  }

  // MARK: Corollary 1

  @Test(arguments: [false, true])
  func corollary1BoundsTheOptimalUplinkRoundLength(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0xC12 : 0xC11
    for (i, c) in try Self.cases(seed: seed, mixed: mixed).enumerated() {
      let t = Corollaries.roundLengthBounds(data: c.data, globalBatch: c.B)
      let e = Corollaries.uplinkBounds(data: c.data, globalBatch: c.B)
      #expect(
        t.lower <= c.up.roundLength * (1 + 1e-12),
        "seed \(seed) instance \(i): \(t) vs \(c.up.roundLength)")
      #expect(
        c.up.roundLength <= t.upper * (1 + 1e-12),
        "seed \(seed) instance \(i): \(t) vs \(c.up.roundLength)")
      #expect(abs(e.lower * c.dL - t.lower) <= 1e-12 * t.lower, "seed \(seed) instance \(i)")
    }
  }

  /// Identical devices with B/K inside (1, B^max): both cases of Appendix B are optimal,
  /// so E_ℓ = E^U* = E_h.
  @Test func corollary1IsTightForIdenticalDevices() throws {
    let s = try Scenario(
      gradientBits: 1e6, maxBatch: 128, cyclesPerSample: 1e7,
      devices: Array(
        repeating: Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e7, downlinkBps: 1e7)),
        count: 4))
    let data = try SystemData(s)
    let up = try FEELSolver(s).uplink(globalBatch: 200)
    let t = Corollaries.roundLengthBounds(data: data, globalBatch: 200)
    // T = β·B/K + K·a = 0.01·50 + 4·0.1 = 0.9 s.
    #expect(abs(t.lower - 0.9) <= 1e-12 && abs(t.upper - 0.9) <= 1e-12, "\(t)")
    #expect(abs(up.roundLength - 0.9) <= 1e-12)
  }

  // MARK: Corollary 2

  @Test func corollary2UpperBoundHoldsWhenADeviceIsInterior() throws {
    let seed: UInt64 = 0xC21
    var checked = 0
    for (i, c) in try Self.cases(seed: seed).enumerated() {
      guard let mu = c.mu.value else { continue }
      checked += 1
      let b = Corollaries.multiplierBounds(data: c.data, globalBatch: c.B, uplinkReciprocal: c.E)
      #expect(mu <= b.upper * (1 + 1e-9), "seed \(seed) instance \(i): μ* \(mu) > μ_h \(b.upper)")
    }
    #expect(checked >= 150)
  }

  /// The printed lower bound (45) squares ΔL·V_k·E^U* − B^max, which is negative for every
  /// device that cannot reach B^max within the round; it fails on random instances, and
  /// holds whenever some interior device j has ΔL·V_j·E^U* ≥ B^max.
  @Test func corollary2LowerBoundAsPrintedHoldsWhenAnInteriorDeviceCanReachBmax() throws {
    let seed: UInt64 = 0xC22
    var failures = 0
    for (i, c) in try Self.cases(seed: seed).enumerated() {
      guard let mu = c.mu.value else { continue }
      let b = Corollaries.multiplierBounds(data: c.data, globalBatch: c.B, uplinkReciprocal: c.E)
      let canReach = (0..<c.data.count).contains { k in
        let b = c.up.batches[k]
        let interior = b > 1 + 1e-9 * c.data.maxBatch && b < c.data.maxBatch * (1 - 1e-9)
        return interior && c.up.roundLength >= c.data.beta[k] * c.data.maxBatch
      }
      if canReach {
        #expect(b.lower <= mu * (1 + 1e-9), "seed \(seed) instance \(i): μ_ℓ \(b.lower) > μ* \(mu)")
      }
      if b.lower > mu * (1 + 1e-9) { failures += 1 }
    }
    #expect(failures >= 5, "seed \(seed): the printed bound failed only \(failures) times")
  }

  /// Regression fixture (Proofs/Corollary2.md): two identical CPUs (f = 1 GHz, C = 1e7,
  /// R^U = 1 Mbit/s, s = 1 Mbit), B^max = 1000, B = 100, ξ = 1, T_f^U = 10 ms. Then
  /// B_k* = 50, τ_k* = T_f/2, T^U* = 2.5 s, ΔL = 10, κ = ρ/(ΔL a T_f) = 5, so
  /// μ* = κ·2² = 20 while (24) gives μ_ℓ = κ(2.5 − 10)² = 281.25 > μ_h = κ(2.5 − 0.01)²
  /// = 31.0005: the printed interval is empty.
  @Test func corollary2LowerBoundFailsForTwoIdenticalDevicesWithLargeBmax() throws {
    let s = try Scenario(
      gradientBits: 1e6, maxBatch: 1000, cyclesPerSample: 1e7,
      devices: Array(
        repeating: Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e6)),
        count: 2))
    let data = try SystemData(s)
    let up = try FEELSolver(s).uplink(globalBatch: 100)
    #expect(up.batches.allSatisfy { abs($0 - 50) <= 1e-9 })
    #expect(abs(up.roundLength - 2.5) <= 1e-12)
    let mu = try #require(
      Corollaries.paperMultiplier(
        data: data, globalBatch: 100, batches: up.batches, fractions: up.fractions,
        roundLength: up.roundLength
      ).value)
    #expect(abs(mu - 20) <= 1e-9)
    let printed = Corollaries.multiplierBounds(data: data, globalBatch: 100, uplinkReciprocal: 0.25)
    #expect(abs(printed.lower - 281.25) <= 1e-9 && abs(printed.upper - 31.0005) <= 1e-9)
    #expect(printed.lower > mu)
    let corrected = Corollaries.correctedMultiplierBounds(
      data: data, globalBatch: 100, uplinkReciprocal: 0.25)
    #expect(corrected.lower == 0 && corrected.lower <= mu && mu <= corrected.upper)
    // Every device is interior, so the multiplier of (17b) is the same μ* = 20.
    let slot = Corollaries.slotBudgetMultiplier(
      data: data, globalBatch: 100, fractions: up.fractions)
    #expect(abs(slot - 20) <= 1e-9)
  }

  @Test(arguments: [false, true])
  func correctedCorollary2HoldsWheneverADeviceIsInterior(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0xC24 : 0xC23
    var checked = 0
    for (i, c) in try Self.cases(seed: seed, mixed: mixed).enumerated() {
      guard let mu = c.mu.value else { continue }
      checked += 1
      let b = Corollaries.correctedMultiplierBounds(
        data: c.data, globalBatch: c.B, uplinkReciprocal: c.E)
      #expect(b.lower <= mu * (1 + 1e-9), "seed \(seed) instance \(i): μ_ℓ \(b.lower) > μ* \(mu)")
      #expect(mu <= b.upper * (1 + 1e-9), "seed \(seed) instance \(i): μ* \(mu) > μ_h \(b.upper)")
    }
    #expect(checked >= 100)
  }

  /// Proofs/Corollary2.md: for the multiplier of the slot budget (17b),
  /// μ = 1/(ΔL·T_f^U·Σ_k x_k²/a_k) (``Corollaries/slotBudgetMultiplier``), the upper bound
  /// of (24) and the corrected lower bound hold at every optimum, with no interior device
  /// required: Σλ_k = Σρ_k gives devices with λ_k ≥ ρ_k and with λ_l ≤ ρ_l, and
  /// μ = (λ_k/ρ_k)·κ_k·(a_k/x_k)². Random CPU and mixed fleets with spread 10 or 300, each
  /// at a random B and at both ends Σℓ_k and Σu_k (where every device is clipped). The
  /// value also equals the certificate's slot price over ΔL·T_f^U (an independent
  /// computation from the dual).
  @Test(arguments: [false, true])
  func correctedCorollary2HoldsForTheMultiplierOfTheSlotBudget(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0xC26 : 0xC25
    var noInterior = 0
    var someClipped = 0
    forEachInstance(seed: seed, count: 200) { i, g in
      let knobs = PaperInstances.Knobs(spread: i % 2 == 0 ? 10 : 300)
      let s = try PaperInstances.scenario(
        mixed: mixed, devices: 1...8, knobs: knobs, using: &g)
      let data = try SystemData(s)
      let solver = try FEELSolver(s)
      let batches = [
        PaperInstances.globalBatch(for: data, using: &g), data.affineMinimumBatch,
        data.maximumGlobalBatch,
      ]
      for B in batches {
        let up = try solver.uplink(globalBatch: B)
        let dL = data.lossDecayCoefficient * B.squareRoot()
        let mu = Corollaries.slotBudgetMultiplier(
          data: data, globalBatch: B, fractions: up.fractions)
        let fromDual = up.certificate.slotPrice / (dL * data.uplinkFrameSeconds)
        #expect(abs(mu - fromDual) <= 1e-7 * mu, "seed \(seed) instance \(i) B \(B)")
        let b = Corollaries.correctedMultiplierBounds(
          data: data, globalBatch: B, uplinkReciprocal: up.roundLength / dL)
        #expect(b.lower <= mu * (1 + 1e-9), "seed \(seed) instance \(i) B \(B): \(b.lower) > \(mu)")
        #expect(mu <= b.upper * (1 + 1e-9), "seed \(seed) instance \(i) B \(B): \(mu) > \(b.upper)")
        let m = Corollaries.paperMultiplier(
          data: data, globalBatch: B, batches: up.batches, fractions: up.fractions,
          roundLength: up.roundLength)
        if m.interiorCount == 0 { noInterior += 1 }
        if m.interiorCount < data.count { someClipped += 1 }
      }
    }
    #expect(
      noInterior >= PropertyCount.atLeast(300) && someClipped >= PropertyCount.atLeast(450),
      "\(noInterior) \(someClipped)")
  }

  // MARK: Theorem 1

  /// Eq. (22) with (E^U*, μ*) read from the exact solution reproduces its batches and
  /// slots, every interior device gives the same μ*, and Σ τ_k = T_f, Σ B_k = B.
  @Test(arguments: [false, true])
  func theorem1ClosedFormReproducesTheOptimalAllocation(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0x7B2 : 0x7B1
    for (i, c) in try Self.cases(seed: seed, mixed: mixed).enumerated() {
      let m = c.mu
      let mu: Double
      if let v = m.value {
        #expect(m.spread <= 1e-7, "seed \(seed) instance \(i): interior μ spread \(m.spread)")
        let inside =
          m.admissible.lowerBound <= v * (1 + 1e-9) && v <= m.admissible.upperBound * (1 + 1e-9)
        #expect(inside, "seed \(seed) instance \(i): μ \(v) outside \(m.admissible)")
        mu = v
      } else {
        mu = m.admissible.upperBound.isFinite ? m.admissible.upperBound : m.admissible.lowerBound
      }
      let kappa = Corollaries.muScale(data: c.data, globalBatch: c.B)
      let T = c.dL * c.E
      var slotSum = 0.0
      for k in 0..<c.data.count {
        let raw = (T - c.data.alpha[k] - (mu / kappa[k]).squareRoot()) / c.data.beta[k]
        let b = Swift.min(Swift.max(raw, c.data.lower[k]), c.data.upper[k])
        let x = c.data.uplinkWork[k] / (T - c.data.alpha[k] - c.data.beta[k] * b)
        slotSum += x
        #expect(
          abs(b - c.up.batches[k]) <= 1e-6 * c.data.maxBatch,
          "seed \(seed) instance \(i) device \(k): \(b) vs \(c.up.batches[k])")
        #expect(abs(x - c.up.fractions[k]) <= 1e-6 * x, "seed \(seed) instance \(i) device \(k)")
      }
      #expect(abs(slotSum - 1) <= 1e-6, "seed \(seed) instance \(i): Σx = \(slotSum)")
    }
  }

  /// μ* of (22) is 1/(ν·ΔL·T_f·ΣV) with ν the water level of the exact solver, and it is
  /// the multiplier of the slot budget (17b) in the paper's Lagrangian (32) when every
  /// device is interior, but not otherwise.
  @Test func paperMultiplierIsTheSlotPriceOnlyWhenEveryDeviceIsInterior() throws {
    let seed: UInt64 = 0x7B3
    var interiorAll = 0
    var clippedDiffer = 0
    for (i, c) in try Self.cases(seed: seed).enumerated() {
      guard let mu = c.mu.value else { continue }
      let cert = c.up.certificate
      let nu = cert.batchPrice / cert.slotPrice
      let sumV = c.data.beta.reduce(0) { $0 + 1 / $1 }
      let fromLevel = 1 / (nu * c.dL * c.data.uplinkFrameSeconds * sumV)
      #expect(abs(fromLevel - mu) <= 1e-7 * mu, "seed \(seed) instance \(i): \(fromLevel) vs \(mu)")
      // The multiplier of (17b) in (32), with τ in seconds and E = T/ΔL.
      let slotMultiplier = cert.slotPrice / (c.dL * c.data.uplinkFrameSeconds)
      let fromSlots = Corollaries.slotBudgetMultiplier(
        data: c.data, globalBatch: c.B, fractions: c.up.fractions)
      #expect(
        abs(fromSlots - slotMultiplier) <= 1e-7 * slotMultiplier, "seed \(seed) instance \(i)")
      if c.mu.interiorCount == c.data.count {
        interiorAll += 1
        #expect(abs(slotMultiplier - mu) <= 1e-7 * mu, "seed \(seed) instance \(i)")
      } else if abs(slotMultiplier - mu) > 1e-3 * mu {
        clippedDiffer += 1
      }
    }
    #expect(interiorAll >= 10 && clippedDiffer >= 10, "\(interiorAll) \(clippedDiffer)")
  }

  // MARK: Theorem 2

  /// Eq. (26): τ_k^D/T_f^D = d_k/(T^D − m_k) with T^D the root of Σ_k d_k/(T − m_k) = 1,
  /// the root found here by plain bisection; the slots fill the frame.
  @Test(arguments: [false, true])
  func theorem2ClosedFormMatchesAnIndependentRoot(mixed: Bool) throws {
    let seed: UInt64 = mixed ? 0x7D2 : 0x7D1
    forEachInstance(seed: seed, count: 200) { i, g in
      let s = try PaperInstances.scenario(mixed: mixed, devices: 1...12, using: &g)
      let K = s.deviceCount
      let data = try SystemData(s)
      let T = SolverExtremePropertiesTests.harmonicRoot(data.downlinkWork, data.updateSeconds)
      let down = try FEELSolver(s).downlink()
      #expect(abs(down.certificate.roundLength - T) <= 1e-12 * T, "seed \(seed) instance \(i)")
      for k in 0..<K {
        let y = data.downlinkWork[k] / (T - data.updateSeconds[k])
        #expect(abs(down.fractions[k] - y) <= 1e-9 * y, "seed \(seed) instance \(i) device \(k)")
      }
      #expect(abs(down.fractions.reduce(0, +) - 1) <= 1e-12, "seed \(seed) instance \(i)")
    }
  }
}
