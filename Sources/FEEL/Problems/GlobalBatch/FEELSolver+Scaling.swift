import Foundation

// Numerical priorities: (1) never change the problem: the scaling is by a power of two,
// exact in binary64, so the scaled problem is the same problem in other units; (2) leave
// ordinary scenarios bit for bit as they were (they are not scaled at all); (3) keep the
// round lengths of extreme scenarios O(1), where squares and products of times cannot
// overflow or underflow.

/// The same solver in units of time 2^e seconds, used when the scenario's times are far
/// from 1 s (see ``FEELSolver/timeScale``).
final class ScaledProblem: Sendable {
  /// The solver of the scaled scenario (its own time scale is 1).
  let solver: FEELSolver
  /// c = 2^e: a time of t seconds is c·t in the scaled problem.
  let factor: Double

  init(solver: FEELSolver, factor: Double) {
    self.solver = solver
    self.factor = factor
  }
}

extension FEELSolver {
  /// Scenarios whose largest per-device time lies in 2^-40 … 2^40 s are solved as given.
  static let unscaledTimes = 0x1p-40...0x1p40

  /// The power of two c such that the largest per-device time of `data` (upload, download,
  /// full-batch compute, update), times c, lies in [1, 2); 1 when that time is already in
  /// ``unscaledTimes``.
  static func timeScale(_ data: SystemData) -> Double {
    var largest = 0.0
    for k in 0..<data.count {
      largest = Swift.max(
        largest, data.uplinkWork[k], data.downlinkWork[k],
        data.trueLatency(of: k, batch: data.upper[k]), data.updateSeconds[k])
    }
    guard largest.isFinite, largest > 0, !unscaledTimes.contains(largest) else { return 1 }
    return Foundation.pow(2, -Double(largest.exponent))
  }

  /// `scenario` with every time multiplied by `factor`: s (so a_k = s/R_k^U and
  /// d_k = s/R_k^D), C and M^C (CPU latencies), M^G and the GPU's t^ℓ and c. Rates,
  /// frequencies and frames are kept, so slots (τ = x·T_f) and batches are unchanged.
  static func scaled(_ scenario: Scenario, timesBy factor: Double) throws -> Scenario {
    try scenario.with { t in
      t.gradientBits *= factor
      t.cyclesPerSample = scenario.cyclesPerSample.map { $0 * factor }
      t.updateCycles *= factor
      t.updateFlops *= factor
      t.devices = scenario.devices.map { d in
        guard case .gpu(let p) = d.compute else { return d }
        let scaled = GPUProfile(
          baseSeconds: p.baseSeconds * factor, secondsPerSample: p.secondsPerSample * factor,
          thresholdBatch: p.thresholdBatch, flops: p.flops)
        return Device(compute: .gpu(scaled), link: d.link)
      }
    }
  }

  /// The scaled problem for `scenario`, or nil when it is solved as given (or when the
  /// scaled scenario cannot be compiled: it is then solved as given too).
  static func scaledProblem(
    _ scenario: Scenario, data: SystemData, settings: Settings
  ) -> ScaledProblem? {
    let c = timeScale(data)
    guard c != 1,
      let inner = try? FEELSolver(
        scaled(scenario, timesBy: c), settings: settings, scaling: false)
    else { return nil }
    return ScaledProblem(solver: inner, factor: c)
  }

  /// A solution of the scaled problem in seconds: times divided by c, the efficiency and
  /// its bound multiplied by c; batches, slots and weights unchanged. The status is the
  /// scaled problem's (its certificate was checked there, where no time overflows; the
  /// problems are the same up to an exact change of units), unless a time overflows here.
  static func unscaled(_ s: Solution, factor c: Double) -> Solution {
    let r = 1 / c
    var u = s
    u.learningEfficiency = s.learningEfficiency * c
    u.roundSeconds = s.roundSeconds * r
    u.uplinkSeconds = s.uplinkSeconds * r
    u.downlinkSeconds = s.downlinkSeconds * r
    u.latency = RoundLatency(
      compute: s.latency.compute.map { $0 * r }, upload: s.latency.upload.map { $0 * r },
      download: s.latency.download.map { $0 * r }, update: s.latency.update.map { $0 * r },
      uplinkSeconds: s.latency.uplinkSeconds * r, downlinkSeconds: s.latency.downlinkSeconds * r)
    u.uplinkCertificate = unscaled(s.uplinkCertificate, r)
    u.downlinkCertificate = unscaled(s.downlinkCertificate, r)
    if var g = s.globalCertificate {
      g.uplink = unscaled(g.uplink, r)
      g.downlink = unscaled(g.downlink, r)
      g.uplinkFloor *= r
      g.efficiency *= c
      g.efficiencyUpperBound *= c
      u.globalCertificate = g
    }
    if s.status.isCertified,
      !(u.roundSeconds.isFinite && u.learningEfficiency.isFinite && u.learningEfficiency > 0)
    {
      u.status = .numericalTrouble(
        "the answer is not representable in binary64 seconds: round \(u.roundSeconds) s, "
          + "efficiency \(u.learningEfficiency)")
    }
    return u
  }

  /// A solution of `inner` in seconds, with the reason of a failed check restated in
  /// seconds (the check itself is the scaled problem's).
  func inSeconds(_ s: Solution, _ inner: ScaledProblem) -> Solution {
    var u = FEELSolver.unscaled(s, factor: inner.factor)
    if case .notCertified = u.status { u.status = SolutionStatus(verification: verify(u)) }
    return u
  }

  private static func unscaled(_ c: UplinkCertificate, _ r: Double) -> UplinkCertificate {
    var u = c
    u.roundLength *= r
    u.slotPrice *= r
    u.batchPrice *= r
    u.dualBound *= r
    return u
  }

  private static func unscaled(_ c: DownlinkCertificate, _ r: Double) -> DownlinkCertificate {
    var u = c
    u.roundLength *= r
    u.slotPrice *= r
    u.dualBound *= r
    return u
  }

  /// Checks `solution`'s certificate as the solver does (``Verifier``, tolerance
  /// ``Settings/certificateTolerance``), in the solver's internal units: for a scenario whose
  /// times are far from 1 s (where the squares of times in the check could overflow) the
  /// solution is checked in units of 2^e seconds, an exact change of units, and the
  /// report's primal and bound are given back in seconds (or in 1/s for an efficiency).
  public func verify(_ solution: Solution) -> VerificationReport {
    guard let inner = scaled else {
      return Verifier.verify(solution, data: data, tolerance: settings.certificateTolerance)
    }
    let c = inner.factor
    var s = FEELSolver.unscaled(solution, factor: 1 / c)
    s.status = solution.status
    var report = Verifier.verify(
      s, data: inner.solver.data, tolerance: settings.certificateTolerance)
    let back = solution.globalCertificate == nil ? 1 / c : c
    report.primal *= back
    report.bound *= back
    return report
  }
}
