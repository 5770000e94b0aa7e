// Numerical priorities: (1) never return an infeasible allocation, and never a weaker
// bound than the one given; (2) leave answers whose certificate is already tight bit for
// bit as they were (this runs only when the uplink certificate leaves a gap); (3) speed
// does not matter here.

extension FEELSolver {
  /// The allocation of the compute-only problem at global batch B:
  /// min T s.t. t_k(B_k) ≤ T, Σ B_k = B, 1 ≤ B_k ≤ u_k (the uploads ignored), by
  /// bisection on T of Σ_k B_k(T) = B with B_k(T) the largest batch whose true latency is
  /// ≤ T. Used beside the water-filling when device times differ by so many orders of
  /// magnitude that its slots are rounding noise (Proofs/DynamicRange.md): a device whose
  /// whole batch range costs less than one ulp of the round then gets u_k here, where
  /// the water-filling can leave it at a bound.
  /// - Returns: batches with Σ B_k = B to rounding, or nil when B is out of range.
  /// - Complexity: O(K) per bisection step, at most ``Settings/computeBoundBisections`` steps.
  func computeBoundBatches(globalBatch B: Double) -> [Double]? {
    let K = data.count
    guard B >= data.minimumGlobalBatch, B <= data.maximumGlobalBatch, K > 0 else { return nil }
    func batch(_ k: Int, _ T: Double) -> Double {
      let u = data.upper[k]
      if data.trueLatency(of: k, batch: u) <= T { return u }
      let b = (T - data.alpha[k]) / data.beta[k]
      return Swift.min(Swift.max(b, 1), u)
    }
    func total(_ T: Double) -> Double {
      var s = 0.0
      for k in 0..<K { s += batch(k, T) }
      return s
    }
    // Every device's latency at B_k = 1 (a GPU's flat latency) is at most T.
    var lo = -Double.infinity
    var hi = -Double.infinity
    for k in 0..<K {
      lo = Swift.max(lo, data.trueLatency(of: k, batch: 1))
      hi = Swift.max(hi, data.trueLatency(of: k, batch: data.upper[k]))
    }
    guard lo.isFinite, hi.isFinite else { return nil }
    if total(lo) >= B {
      hi = lo
    } else {
      for _ in 0..<settings.computeBoundBisections {
        let mid = 0.5 * (lo + hi)
        guard mid > lo, mid < hi else { break }
        if total(mid) >= B { hi = mid } else { lo = mid }
      }
    }
    // Σ B_k(hi) ≥ B: lowering batches only lowers latencies, so this stays within hi.
    var b = (0..<K).map { batch($0, hi) }
    let interior = (0..<K).filter { b[$0] > 1 && b[$0] < data.upper[$0] }
    UplinkEngine.spread(
      &b, target: B, preferred: interior, lower: [Double](repeating: 1, count: K),
      upper: data.upper)
    var sum = 0.0
    for x in b { sum += x }
    guard abs(sum - B) <= settings.batchMatchTolerance * B else { return nil }
    return b
  }

  /// `up` reinforced by the compute-only allocation when its certificate leaves a gap
  /// (above ``Settings/alternativeWeightsGap``): the allocation with the shorter round
  /// length, and whichever uplink certificate proves the larger bound (each bound holds
  /// for every allocation at this B, so they combine freely).
  func reinforced(_ up: Uplink, globalBatch B: Double) -> Uplink {
    guard
      Certifier.loose(
        up.certificate.dualBound, below: up.roundLength, gap: settings.alternativeWeightsGap),
      let b = computeBoundBatches(globalBatch: B)
    else { return up }
    let (x, T, slotStatus) = slots(for: b)
    guard T.isFinite else { return up }
    let cert = Certifier.uplink(
      data: data, globalBatch: B, batches: b, fractions: x, roundLength: T, level: 0,
      settings: settings)
    let shorter = !(T >= up.roundLength)
    var certificate =
      cert.dualBound > up.certificate.dualBound || !up.certificate.dualBound.isFinite
      ? cert : up.certificate
    let roundLength = shorter ? T : up.roundLength
    certificate.roundLength = roundLength
    return Uplink(
      batches: shorter ? b : up.batches, fractions: shorter ? x : up.fractions,
      roundLength: roundLength, certificate: certificate, iterations: up.iterations,
      status: shorter ? FEELSolver.firstFailure([up.status, slotStatus]) : up.status)
  }
}
