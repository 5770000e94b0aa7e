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

  /// Σ_k w_k when every weight is finite and ≥ 0 and the sum is > 0 (the weights of a
  /// dual bound are normalized by it); `nil` otherwise, and for a wrong count.
  static func weightTotal(_ weights: [Double], count: Int) -> Double? {
    guard weights.count == count else { return nil }
    var total = 0.0
    for w in weights {
      guard w.isFinite, w >= 0 else { return nil }
      total += w
    }
    return total > 0 ? total : nil
  }

  /// g(λ, μ*(λ), γ) at global batch B: a lower bound on T^U(B) for any λ ≥ 0, γ.
  public static func uplinkDualBound(
    data: SystemData, weights: [Double], batchPrice gamma: Double, globalBatch B: Double
  ) -> Double {
    guard gamma.isFinite, B.isFinite, let total = weightTotal(weights, count: data.count) else {
      return .nan
    }
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
    guard let total = weightTotal(weights, count: data.count) else { return .nan }
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
    // The level's price maximizes the dual bound for these weights in exact arithmetic;
    // keep it in the exact maximizing interval (it can leave it by rounding, and at a kink
    // of T^U, where the level is not unique, the interval is wide).
    if let range = batchPriceInterval(data: data, weights: lambda, globalBatch: B) {
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

  /// The batch prices γ that maximize the dual bound g(λ, μ*(λ), γ) at global batch B
  /// for fixed weights λ: an interval, found exactly.
  ///
  /// g is concave and piecewise linear in γ: g'(γ) = B − Σ_k b_k(γ), where b_k(γ) is the
  /// vertex minimizing λ_k t_k(b) − γb. As γ grows each device moves from b = 1 to b = B^max
  /// at γ = λ_k β_k (CPU), or from 1 to B_k^th at γ = 0 and on to B^max at γ = λ_k c_k
  /// (GPU). The maximizers are where Σ_k b_k(γ) crosses B: a single breakpoint, or the
  /// interval between two breakpoints when B equals a partial sum (a kink of T^U).
  /// - Complexity: O(K log K).
  static func batchPriceInterval(
    data: SystemData, weights lambda: [Double], globalBatch B: Double
  )
    -> ClosedRange<Double>?
  {
    guard let total = weightTotal(lambda, count: data.count) else { return nil }
    var breaks: [(price: Double, samples: Double)] = []
    breaks.reserveCapacity(2 * data.count)
    for k in 0..<data.count {
      let l = lambda[k] / total
      let u = data.upper[k]
      if data.isGPU[k] {
        let th = data.lower[k]
        if th > 1 { breaks.append((0, th - 1)) }
        if u > th { breaks.append((l * data.beta[k], u - th)) }
      } else if u > 1 {
        breaks.append((l * data.beta[k], u - 1))
      }
    }
    breaks.sort { $0.price < $1.price }
    let slack = 1e-12 * Swift.max(1, B)
    var sum = data.minimumGlobalBatch
    if B <= sum + slack {
      return -Double.infinity...(breaks.first?.price ?? .infinity)
    }
    var i = 0
    while i < breaks.count {
      let price = breaks[i].price
      while i < breaks.count && breaks[i].price == price {
        sum += breaks[i].samples
        i += 1
      }
      if sum >= B - slack {
        // B is reached at this price; if exactly, the price may rise to the next break.
        let upper = sum <= B + slack ? (i < breaks.count ? breaks[i].price : .infinity) : price
        return price...upper
      }
    }
    return nil
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
    if let range = batchPriceInterval(
      data: data, weights: given.deviceWeights, globalBatch: given.globalBatch)
    {
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
