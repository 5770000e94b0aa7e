/// Checks a ``Solution`` and its certificates without running any solver.
///
/// Everything is recomputed from the allocation and the multipliers: the latencies with
/// eqs. (9)–(15)/(27)–(29), the dual bounds with `Certifier`. A solution passes when it
/// is feasible and its bound is within `tolerance` (relative) of what it attains:
/// - at a fixed B: (T − (g^U + g^D))/T, the relative duality gap of P2 + P3;
/// - with an optimized B: (E_ub − E)/E, where E_ub bounds the efficiency of every policy.
public enum Verifier {
  /// Verifies `solution` for the system `data`: its ``Solution/allocation`` against its
  /// certificates.
  ///
  /// An allocation or certificate of the wrong length, or with a NaN, infinite or negative
  /// entry, is not checked: the report fails with ``VerificationReport/inputProblem``
  /// naming the field (nothing traps).
  /// - Complexity: O(K).
  public static func verify(
    _ solution: Solution, data: SystemData,
    tolerance: Double = FEELSolver.Settings.default.certificateTolerance
  )
    -> VerificationReport
  {
    verify(
      solution.allocation, globalBatch: solution.globalBatch, uplink: solution.uplinkCertificate,
      downlink: solution.downlinkCertificate, global: solution.globalCertificate, data: data,
      tolerance: tolerance)
  }

  /// Verifies `allocation` (for example a changed copy of `solution`'s) against the
  /// certificates of `solution`, for the system `data`; the global batch is the
  /// allocation's Σ B_k.
  /// - Complexity: O(K).
  public static func verify(
    _ allocation: Allocation, certificatesOf solution: Solution, data: SystemData,
    tolerance: Double = FEELSolver.Settings.default.certificateTolerance
  ) -> VerificationReport {
    verify(
      allocation, globalBatch: allocation.globalBatch, uplink: solution.uplinkCertificate,
      downlink: solution.downlinkCertificate, global: solution.globalCertificate, data: data,
      tolerance: tolerance)
  }

  /// Verifies an allocation against its certificates for the system `data` (see
  /// ``verify(_:data:tolerance:)``); `globalBatch` is the B the allocation claims.
  /// - Complexity: O(K).
  public static func verify(
    _ allocation: Allocation, globalBatch: Double, uplink up: UplinkCertificate,
    downlink: DownlinkCertificate, global: GlobalCertificate?, data: SystemData,
    tolerance: Double = FEELSolver.Settings.default.certificateTolerance
  )
    -> VerificationReport
  {
    let K = data.count
    var violation = 0.0
    func note(_ v: Double) {
      violation = v.isNaN || violation.isNaN ? .nan : Swift.max(violation, v)
    }
    var problem = AllocationProblem.find(allocation, count: K)
    if problem == nil, up.deviceWeights.count != K {
      problem = .wrongLength(
        field: "uplinkCertificate.deviceWeights", expected: K, got: up.deviceWeights.count)
    }
    if problem == nil, downlink.deviceWeights.count != K {
      problem = .wrongLength(
        field: "downlinkCertificate.deviceWeights", expected: K,
        got: downlink.deviceWeights.count)
    }
    if let problem {
      return VerificationReport(
        feasibilityViolation: .infinity, primal: .nan, bound: .nan, relativeGap: .infinity,
        stationarityResidual: .nan, tolerance: tolerance, inputProblem: problem)
    }
    let x = allocation.uplinkFractions
    let y = allocation.downlinkFractions
    note(x.reduce(0, +) - 1)
    note(y.reduce(0, +) - 1)
    var B = 0.0
    for k in 0..<K {
      let b = allocation.batches[k]
      note((1 - b) / data.maxBatch)
      note((b - data.upper[k]) / data.maxBatch)
      note(-x[k])
      note(-y[k])
      B += b
    }
    note(abs(B - globalBatch) / Swift.max(1, B))
    let lat = data.latency(allocation)
    let gU = Certifier.uplinkDualBound(
      data: data, weights: up.deviceWeights, batchPrice: up.batchPrice, globalBatch: B)
    let gD = Certifier.downlinkDualBound(data: data, weights: downlink.deviceWeights)
    // KKT stationarity in the slots: λ_k a_k / x_k² equal for every device with λ_k > 0.
    var stationarity = 0.0
    if let first = (0..<K).first(where: { up.deviceWeights[$0] > 0 }) {
      let ref = up.deviceWeights[first] * data.uplinkWork[first] / (x[first] * x[first])
      for k in 0..<K where up.deviceWeights[k] > 0 {
        let r = abs(up.deviceWeights[k] * data.uplinkWork[k] / (x[k] * x[k]) - ref) / ref
        if r.isNaN || r > stationarity { stationarity = r.isNaN ? .nan : r }
      }
    }
    if let global {
      let floorValid = floorIsValid(global.uplinkFloor, data: data)
      let attained = data.efficiency(globalBatch: B, roundSeconds: lat.roundSeconds)
      var cert = up
      cert.dualBound = gU
      cert.globalBatch = B
      let ub =
        floorValid
        ? Certifier.efficiencyUpperBound(
          data: data, uplink: cert, uplinkFloor: global.uplinkFloor, downlinkBound: gD) : .nan
      let gap = (ub - attained) / attained
      return VerificationReport(
        feasibilityViolation: violation, primal: attained, bound: ub,
        relativeGap: abs(gap), stationarityResidual: stationarity,
        tolerance: tolerance)
    }
    let bound = gU + gD
    let gap = (lat.roundSeconds - bound) / lat.roundSeconds
    return VerificationReport(
      feasibilityViolation: violation, primal: lat.roundSeconds, bound: bound,
      relativeGap: abs(gap), stationarityResidual: stationarity,
      tolerance: tolerance)
  }

  /// `floor` is at most the round length with every B_k = 1: either it is at or below
  /// the largest pole, or Σ a_k/(floor − t_k(1)) ≥ 1.
  static func floorIsValid(_ floor: Double, data: SystemData) -> Bool {
    guard floor.isFinite else { return false }
    var sum = 0.0
    for k in 0..<data.count {
      let room = floor - data.trueLatency(of: k, batch: 1)
      if room <= 0 { return true }
      sum += data.uplinkWork[k] * (1 / room)
    }
    return sum >= 1
  }
}
