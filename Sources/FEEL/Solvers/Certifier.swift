/// Builds and checks the certificates of ``UplinkCertificate``, ``DownlinkCertificate``
/// and ``GlobalCertificate``.
///
/// The dual bounds are computed from the multipliers alone, with the optimal slot price
/// for the given weights, μ = (Σ_k √(λ_k a_k))², so a certificate is as strong as its
/// weights allow whatever μ the solver reported.
public enum Certifier {
  /// min over B ∈ [1, B^max] of λ·t_k(B) − γB: a convex piecewise-linear function, so
  /// the minimum is at a vertex — the ends and, for GPUs, the threshold B_k^th.
  @inline(__always)
  static func vertexMinimum(_ data: SystemData, _ k: Int, lambda: Double, gamma: Double) -> Double {
    let u = data.upper[k]
    var best = Swift.min(
      lambda * data.trueLatency(of: k, batch: 1) - gamma,
      lambda * data.trueLatency(of: k, batch: u) - gamma * u)
    if data.isGPU[k] {
      let th = data.lower[k]
      best = Swift.min(best, lambda * data.trueLatency(of: k, batch: th) - gamma * th)
    }
    return best
  }

  /// g(λ, μ*(λ), γ) at global batch B: a lower bound on T^U(B) for any λ ≥ 0, γ.
  public static func uplinkDualBound(
    data: SystemData, weights: [Double], batchPrice gamma: Double, globalBatch B: Double
  ) -> Double {
    guard weights.count == data.count, gamma.isFinite, B.isFinite else { return .nan }
    var total = 0.0
    for w in weights {
      guard w.isFinite, w >= 0 else { return .nan }
      total += w
    }
    guard total > 0 else { return .nan }
    var rootSum = 0.0
    var inner = 0.0
    for k in 0..<data.count {
      let lambda = weights[k] / total
      rootSum += (lambda * data.uplinkWork[k]).squareRoot()
      inner += vertexMinimum(data, k, lambda: lambda, gamma: gamma)
    }
    // max over μ of −μ + 2√μ·Σ√(λa) is (Σ√(λa))².
    return rootSum * rootSum + gamma * B + inner
  }

  /// g(λ, μ*(λ)) for the downlink: a lower bound on T^D for any λ ≥ 0.
  public static func downlinkDualBound(data: SystemData, weights: [Double]) -> Double {
    guard weights.count == data.count else { return .nan }
    var total = 0.0
    for w in weights {
      guard w.isFinite, w >= 0 else { return .nan }
      total += w
    }
    guard total > 0 else { return .nan }
    var rootSum = 0.0
    var inner = 0.0
    for k in 0..<data.count {
      let lambda = weights[k] / total
      rootSum += (lambda * data.downlinkWork[k]).squareRoot()
      inner += lambda * data.updateSeconds[k]
    }
    return rootSum * rootSum + inner
  }

  /// Weights λ_k = μ x_k²/w_k normalized to Σλ = 1, with μ = 1/Σ x_k²/w_k.
  static func weights(fractions x: [Double], work: [Double]) -> (weights: [Double], price: Double) {
    var sum = 0.0
    var lambda = [Double](repeating: 0, count: x.count)
    for k in 0..<x.count {
      lambda[k] = x[k] * x[k] / work[k]
      sum += lambda[k]
    }
    for k in 0..<x.count { lambda[k] /= sum }
    return (lambda, 1 / sum)
  }

  static func uplink(
    data: SystemData, globalBatch B: Double, batches: [Double], fractions x: [Double],
    roundLength: Double, level v: Double
  ) -> UplinkCertificate {
    let (lambda, mu) = weights(fractions: x, work: data.uplinkWork)
    var gamma = mu * v * v
    // Keep the batch price inside the interval where it satisfies stationarity in B
    // (it can leave it by rounding, or at a kink where the level is not unique).
    if let range = batchPriceInterval(data: data, batches: batches, weights: lambda) {
      gamma = Swift.min(Swift.max(gamma, range.lowerBound), range.upperBound)
    }
    let bound = uplinkDualBound(data: data, weights: lambda, batchPrice: gamma, globalBatch: B)
    return UplinkCertificate(
      globalBatch: B, roundLength: roundLength, deviceWeights: lambda, slotPrice: mu,
      batchPrice: gamma, dualBound: bound)
  }

  static func downlink(
    data: SystemData, fractions y: [Double], roundLength: Double
  )
    -> DownlinkCertificate
  {
    let (lambda, mu) = weights(fractions: y, work: data.downlinkWork)
    return DownlinkCertificate(
      roundLength: roundLength, deviceWeights: lambda, slotPrice: mu,
      dualBound: downlinkDualBound(data: data, weights: lambda))
  }

  /// The largest efficiency any policy can reach, given an uplink certificate at B*,
  /// a floor on the uplink round length and a downlink lower bound (see
  /// ``GlobalCertificate``).
  public static func efficiencyUpperBound(
    data: SystemData, uplink: UplinkCertificate, uplinkFloor: Double, downlinkBound: Double
  ) -> Double {
    let xi = data.lossDecayCoefficient
    let g = uplink.dualBound
    let gamma = uplink.batchPrice
    let Bs = uplink.globalBatch
    let lo = data.minimumGlobalBatch
    let hi = data.maximumGlobalBatch
    func bound(_ B: Double) -> Double {
      let den = Swift.max(g + gamma * (B - Bs), uplinkFloor) + downlinkBound
      return den > 0 ? xi * B.squareRoot() / den : .infinity
    }
    guard gamma > 0 else { return bound(hi) }
    let crossing = Swift.min(Swift.max(Bs + (uplinkFloor - g) / gamma, lo), hi)
    let c0 = g - gamma * Bs + downlinkBound
    let peak = Swift.min(Swift.max(c0 / gamma, crossing), hi)
    return Swift.max(bound(crossing), bound(peak), bound(hi))
  }

  /// The interval of batch prices γ for which (λ, μ, γ) satisfies the stationarity
  /// conditions in B of P4 at the batches `b`: γ = λ_k·t_k'(B_k) on a linear piece,
  /// γ ≤ λ_k·t_k'(1+) at B_k = 1, γ ≥ λ_k·t_k'(u−) at B_k = u, γ ∈ λ_k·[0, c_k] at a GPU
  /// threshold. Every γ in it gives a tight dual bound at B; it is a single point unless
  /// T^U has a kink at B (no device strictly inside a linear piece).
  static func batchPriceInterval(
    data: SystemData, batches b: [Double], weights lambda: [Double]
  )
    -> ClosedRange<Double>?
  {
    var lo = 0.0
    var hi = Double.infinity
    for k in 0..<data.count {
      let l = lambda[k]
      let u = data.upper[k]
      let th = data.isGPU[k] ? data.lower[k] : 1
      let c = data.beta[k]
      let tol = 1e-9 * Swift.max(1, b[k])
      // Slopes of t_k to the left and right of b_k.
      let left: Double
      let right: Double
      if data.isGPU[k] {
        left = b[k] <= th + tol ? 0 : c
        right = b[k] < th - tol ? 0 : c
      } else {
        left = c
        right = c
      }
      if b[k] <= 1 + tol {
        hi = Swift.min(hi, l * right)  // at the lower end: γ ≤ λ t'(1+)
      } else if b[k] >= u - tol {
        lo = Swift.max(lo, l * left)  // at the upper end: γ ≥ λ t'(u−)
      } else {
        lo = Swift.max(lo, l * Swift.min(left, right))
        hi = Swift.min(hi, l * Swift.max(left, right))
      }
    }
    guard lo <= hi * (1 + 1e-9) else { return nil }
    return lo...Swift.max(lo, hi)
  }

  static func global(
    data: SystemData, uplink given: UplinkCertificate, batches: [Double],
    downlink: DownlinkCertificate,
    uplinkFloor: Double, efficiency: Double
  ) -> GlobalCertificate {
    // At a kink of T^U the batch price is not unique: take the one that makes the
    // supporting line tangent to the efficiency, γ = (T^U + T^D)/(2B), clamped to the
    // valid interval (first-order condition T = 2B·T'(B)).
    var uplink = given
    if let range = batchPriceInterval(data: data, batches: batches, weights: given.deviceWeights) {
      let ideal = (given.roundLength + downlink.roundLength) / (2 * given.globalBatch)
      let gamma = Swift.min(Swift.max(ideal, range.lowerBound), range.upperBound)
      let bound = uplinkDualBound(
        data: data, weights: given.deviceWeights, batchPrice: gamma, globalBatch: given.globalBatch)
      if bound.isFinite, bound >= given.dualBound - 1e-12 * abs(given.dualBound) {
        uplink.batchPrice = gamma
        uplink.dualBound = bound
      }
    }
    let ub = efficiencyUpperBound(
      data: data, uplink: uplink, uplinkFloor: uplinkFloor, downlinkBound: downlink.dualBound)
    return GlobalCertificate(
      uplink: uplink, downlink: downlink, uplinkFloor: uplinkFloor, efficiency: efficiency,
      efficiencyUpperBound: ub)
  }
}
