// Numerical priorities: (1) every weight vector is a valid dual point, so nothing here can
// make a certificate wrong (the Verifier recomputes the bound from the weights); (2) leave
// certificates that are already tight bit for bit as they were (this runs only when the
// slot-derived weights leave a gap); (3) O(K log K).

extension Certifier {
  /// The weights λ on the simplex that maximize the compute part of the uplink dual bound
  /// at batch price γ > 0, Σ_k φ_k(λ_k) with φ_k(λ) = min_b (λ t_k(b) − γ b) over the
  /// vertices b ∈ {ℓ_k, u_k} (ℓ_k = 1 for a CPU, B_k^th for a GPU, where t_k(1) = t_k(ℓ_k)).
  ///
  /// Why: the solver's weights are λ_k ∝ x_k²/a_k with x_k = a_k/(T − t_k(B_k)). When the
  /// upload time a_k/x_k of a device is small against T, the difference T − t_k(B_k)
  /// carries only the rounding of T (relative error ulp(T)/(a_k/x_k), pure noise once
  /// a_k/x_k < ulp(T)), and so do the weights; the dual bound then loses up to that
  /// relative error times the compute spread (Proofs/DynamicRange.md). The compute part
  /// needs no slot: φ_k is concave piecewise linear in λ with slope t_k(u_k) on
  /// [0, γ/β_k] and t_k(ℓ_k) beyond, so the maximum over the simplex is a fractional
  /// knapsack: fill the unit mass along the segments in decreasing slope. At the γ of
  /// the optimum (the slope of the compute-bound T^U), the value is max_k t_k(B_k), the
  /// compute round, exactly in exact arithmetic; the upload term (Σ√(λ_k a_k))² that the
  /// bound adds is ≥ 0.
  /// At γ = 0 (T^U flat in B, below Σ ℓ_k where GPUs are data-bound) every φ_k is
  /// λ t_k(1), and the maximum puts the whole mass on the device with the largest t_k(1).
  /// - Returns: `nil` when γ is not finite and ≥ 0.
  /// - Complexity: O(K log K).
  static func computeBoundWeights(data: SystemData, batchPrice gamma: Double) -> [Double]? {
    guard gamma.isFinite, gamma >= 0 else { return nil }
    let K = data.count
    if gamma == 0 {
      var lambda = [Double](repeating: 0, count: K)
      var top = 0
      for k in 0..<K where data.trueLatency(of: k, batch: 1) > data.trueLatency(of: top, batch: 1) {
        top = k
      }
      if K > 0 { lambda[top] = 1 }
      return lambda
    }
    var top = -Double.infinity
    var topDevice = 0
    var finite: [(slope: Double, capacity: Double, device: Int)] = []
    for k in 0..<K {
      let low = data.lower[k]
      let u = data.upper[k]
      let tLow = data.trueLatency(of: k, batch: low)
      let tUp = data.trueLatency(of: k, batch: u)
      if u > low {
        finite.append((tUp, gamma / data.beta[k], k))
        if tLow > top { (top, topDevice) = (tLow, k) }
      } else if tUp > top {
        (top, topDevice) = (tUp, k)
      }
    }
    var lambda = [Double](repeating: 0, count: K)
    var left = 1.0
    for s in finite.filter({ $0.slope > top }).sorted(by: { $0.slope > $1.slope }) {
      let take = Swift.min(s.capacity, left)
      lambda[s.device] += take
      left -= take
      if left <= 0 { break }
    }
    if left > 0 { lambda[topDevice] += left }
    return lambda
  }

  /// The slot-derived weights with the mass of the devices strictly inside their batch
  /// range (ℓ_k < B_k < u_k) redistributed ∝ 1/β_k, their exact KKT ratio
  /// (λ_k β_k = γ for every interior device), instead of ∝ x_k²/a_k, which carries the
  /// cancellation of T − t_k(B_k). `nil` when no device is interior.
  static func interiorWeights(
    data: SystemData, batches: [Double], weights lambda: [Double]
  ) -> [Double]? {
    guard batches.count == data.count, lambda.count == data.count else { return nil }
    let interior = (0..<data.count).filter {
      batches[$0] > data.lower[$0] && batches[$0] < data.upper[$0]
    }
    guard !interior.isEmpty else { return nil }
    var mass = 0.0
    var inverse = 0.0
    for k in interior {
      mass += lambda[k]
      inverse += 1 / data.beta[k]
    }
    guard mass > 0, inverse.isFinite, inverse > 0 else { return nil }
    var w = lambda
    for k in interior { w[k] = mass * (1 / data.beta[k]) / inverse }
    return w
  }

  /// The best uplink certificate at B among the given one and those with the alternative
  /// weights (interior-corrected, then compute-bound at the batch prices found), each with
  /// its maximizing batch price; only the dual bound decides.
  static func strengthened(
    _ given: UplinkCertificate, data: SystemData, batches: [Double], slack: Double
  ) -> UplinkCertificate {
    let B = given.globalBatch
    var best = given
    func consider(_ weights: [Double]?) {
      guard let w = weights, let total = weightTotal(w, count: data.count) else { return }
      let lambda = w.map { $0 / total }
      guard
        let range = batchPriceInterval(data: data, weights: lambda, globalBatch: B, slack: slack)
      else {
        return
      }
      let gamma = Swift.min(Swift.max(best.batchPrice, range.lowerBound), range.upperBound)
      guard gamma.isFinite else { return }
      let bound = uplinkDualBound(data: data, weights: lambda, batchPrice: gamma, globalBatch: B)
      guard bound.isFinite, !(bound <= best.dualBound) || !best.dualBound.isFinite else { return }
      best.deviceWeights = lambda
      best.slotPrice = optimalSlotPrice(data: data, weights: lambda)
      best.batchPrice = gamma
      best.dualBound = bound
    }
    consider(interiorWeights(data: data, batches: batches, weights: given.deviceWeights))
    if B <= data.affineMinimumBatch { consider(computeBoundWeights(data: data, batchPrice: 0)) }
    for _ in 0..<3 {
      let before = best.dualBound
      consider(computeBoundWeights(data: data, batchPrice: best.batchPrice))
      if best.dualBound == before { break }
    }
    return best
  }

  /// μ*(λ) = (Σ_k √(λ_k a_k))², the slot price that maximizes the uplink dual bound for
  /// the weights λ (Σ λ = 1).
  static func optimalSlotPrice(data: SystemData, weights lambda: [Double]) -> Double {
    var rootSum = 0.0
    for k in 0..<data.count { rootSum += (lambda[k] * data.uplinkWork[k]).squareRoot() }
    return rootSum * rootSum
  }

  /// Whether `bound` leaves a relative gap above `gap` to `value`
  /// (``FEELSolver/Settings/alternativeWeightsGap``).
  static func loose(_ bound: Double, below value: Double, gap: Double) -> Bool {
    !(value - bound <= gap * abs(value))
  }
}

extension Certifier {
  /// The global certificate's uplink part and bound when the standard one leaves a gap
  /// above ``FEELSolver/Settings/alternativeWeightsGap``: the smallest efficiency bound among `current`, the
  /// strengthened uplink certificate (``strengthened(_:data:batches:slack:)``) at its own and at
  /// the tangent price, and the compute-bound weights at the tangent price `ideal`
  /// (γ = (T^U + T^D)·g'(B)/g(B), where the supporting line touches the efficiency).
  /// Every candidate is a valid dual point, so each bound is valid; the smallest is kept.
  static func strengthenedGlobal(
    data: SystemData, current: (uplink: UplinkCertificate, bound: Double),
    given: UplinkCertificate, batches: [Double], downlink: DownlinkCertificate,
    uplinkFloor: Double, ideal: Double, slack: Double
  ) -> (uplink: UplinkCertificate, bound: Double) {
    var best = current
    let B = given.globalBatch
    func consider(_ candidate: UplinkCertificate) {
      let ub = efficiencyUpperBound(
        data: data, uplink: candidate, uplinkFloor: uplinkFloor, downlinkBound: downlink.dualBound)
      if ub.isFinite, !(ub >= best.bound) || !best.bound.isFinite { best = (candidate, ub) }
    }
    func at(_ c: UplinkCertificate, price gamma: Double) -> UplinkCertificate {
      var u = c
      u.batchPrice = gamma
      u.dualBound = uplinkDualBound(
        data: data, weights: c.deviceWeights, batchPrice: gamma, globalBatch: B)
      return u
    }
    let strong = strengthened(given, data: data, batches: batches, slack: slack)
    consider(strong)
    if ideal.isFinite {
      consider(at(strong, price: ideal))
      if let w = computeBoundWeights(data: data, batchPrice: ideal) {
        var c = given
        c.deviceWeights = w
        c.slotPrice = optimalSlotPrice(data: data, weights: w)
        consider(at(c, price: ideal))
        if let range = batchPriceInterval(data: data, weights: w, globalBatch: B, slack: slack) {
          consider(
            at(c, price: Swift.min(Swift.max(ideal, range.lowerBound), range.upperBound)))
        }
      }
    }
    return best
  }
}
