/// Builds and checks the certificates of ``UplinkCertificate``, ``DownlinkCertificate``
/// and ``GlobalCertificate``.
///
/// The dual bounds are computed from the multipliers alone, with the optimal slot price
/// for the given weights, μ = (Σ_k √(λ_k a_k))², so a certificate is as strong as its
/// weights allow whatever μ the solver reported.
package enum Certifier {
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
  package static func uplinkDualBound(
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
  package static func downlinkDualBound(data: SystemData, weights: [Double]) -> Double {
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
    roundLength: Double, level v: Double, settings: FEELSolver.Settings
  ) -> UplinkCertificate {
    let slack = settings.certifierSlack
    let (lambda, mu) = weights(fractions: x, work: data.uplinkWork)
    var gamma = mu * v * v
    // The level's price maximizes the dual bound for these weights in exact arithmetic;
    // keep it in the exact maximizing interval (it can leave it by rounding, and at a kink
    // of T^U, where the level is not unique, the interval is wide).
    if let range = batchPriceInterval(
      data: data, weights: lambda, globalBatch: B, slack: slack)
    {
      gamma = Swift.min(Swift.max(gamma, range.lowerBound), range.upperBound)
    }
    let bound = uplinkDualBound(data: data, weights: lambda, batchPrice: gamma, globalBatch: B)
    let cert = UplinkCertificate(
      globalBatch: B, roundLength: roundLength, deviceWeights: lambda, slotPrice: mu,
      batchPrice: gamma, dualBound: bound)
    guard loose(bound, below: roundLength, gap: settings.alternativeWeightsGap) else {
      return cert
    }
    return strengthened(cert, data: data, batches: batches, slack: slack)
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
  /// ``GlobalCertificate``), under the scenario's loss-decay model g.
  ///
  /// With ℓ(B) = g^U + γ(B − B*) and h(B) = g(B)/(max(ℓ(B), floor) + g^D) ≥ E(B):
  /// - γ ≤ 0: h is nondecreasing (g nondecreasing, denominator nonincreasing): h(K·B^max).
  /// - γ > 0: on [K, B_c] (B_c where ℓ crosses the floor) h ≤ h(B_c) (g nondecreasing);
  ///   on [B_c, K·B^max] the denominator is c_0 + γB and, for any point B̂, the tangent
  ///   g(B̂) + g'(B̂)(B − B̂) ≥ g(B) (g concave), whose ratio to c_0 + γB is monotone (affine
  ///   over affine), so its larger end value bounds h there. B̂ is the peak of
  ///   g/(c_0 + γB) (``LossDecayFunction/ratioPeak(intercept:slope:in:)``), where the
  ///   tangent ratio is constant and equal to the peak value: the bound is tight, and valid
  ///   whatever the accuracy of B̂ (Proofs/LossDecay.md).
  package static func efficiencyUpperBound(
    data: SystemData, uplink: UplinkCertificate, uplinkFloor: Double, downlinkBound: Double
  ) -> Double {
    let f = data.lossDecay
    let g = uplink.dualBound
    let gamma = uplink.batchPrice
    let Bs = uplink.globalBatch
    let lo = data.minimumGlobalBatch
    let hi = data.maximumGlobalBatch
    func bound(_ B: Double) -> Double {
      let den = Swift.max(g + gamma * (B - Bs), uplinkFloor) + downlinkBound
      return den > 0 ? f.value(B) / den : .infinity
    }
    guard gamma > 0 else { return bound(hi) }
    let crossing = Swift.min(Swift.max(Bs + (uplinkFloor - g) / gamma, lo), hi)
    var best = -Double.infinity
    var sawNaN = false
    func note(_ v: Double) {
      if v.isNaN { sawNaN = true } else if v > best { best = v }
    }
    note(bound(crossing))
    note(bound(hi))
    if crossing < hi {
      let c0 = g - gamma * Bs + downlinkBound
      let peak = f.ratioPeak(intercept: c0, slope: gamma, in: crossing...hi)
      let top = f.value(peak)
      let slope = f.derivative(peak)
      func tangent(_ B: Double) -> Double {
        let den = c0 + gamma * B
        return den > 0 ? (top + slope * (B - peak)) / den : .infinity
      }
      note(tangent(crossing))
      note(tangent(hi))
    }
    return sawNaN ? .nan : best
  }

  /// The batch prices γ that maximize the dual bound g(λ, μ*(λ), γ) at global batch B
  /// for fixed weights λ: an interval, found exactly.
  ///
  /// g is concave and piecewise linear in γ: g'(γ) = B − Σ_k b_k(γ), where b_k(γ) is the
  /// vertex minimizing λ_k t_k(b) − γb. As γ grows each device moves from b = 1 to b = B^max
  /// at γ = λ_k β_k (CPU), or from 1 to B_k^th at γ = 0 and on to B^max at γ = λ_k c_k
  /// (GPU). The maximizers are where Σ_k b_k(γ) crosses B: a single breakpoint, or the
  /// interval between two breakpoints when B equals a partial sum (a kink of T^U).
  /// - Complexity: O(K) expected (quickselect with a median-of-three pivot).
  static func batchPriceInterval(
    data: SystemData, weights lambda: [Double], globalBatch B: Double, slack relative: Double
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
    let slack = relative * Swift.max(1, B)
    let base = data.minimumGlobalBatch
    if B <= base + slack {
      var first = Double.infinity
      for b in breaks { first = Swift.min(first, b.price) }
      return -Double.infinity...first
    }
    // The smallest price p with base + Σ_{price ≤ p} samples ≥ B − slack, by three-way
    // quickselect on price (every samples is > 0, so the partial sums rise strictly from
    // one price to the next and p is unique); no full sort is needed.
    var lo = 0
    var hi = breaks.count
    var below = base  // base + the samples of every break priced below breaks[lo..<hi]
    while lo < hi {
      let a = breaks[lo].price
      let b = breaks[(lo + hi) / 2].price
      let c = breaks[hi - 1].price
      let pivot = Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
      var lt = lo
      var i = lo
      var gt = hi
      var less = 0.0
      var equal = 0.0
      while i < gt {
        let price = breaks[i].price
        if price < pivot {
          less += breaks[i].samples
          breaks.swapAt(lt, i)
          lt += 1
          i += 1
        } else if price > pivot {
          gt -= 1
          breaks.swapAt(i, gt)
        } else {
          equal += breaks[i].samples
          i += 1
        }
      }
      if below + less >= B - slack {
        hi = lt
      } else if below + less + equal >= B - slack {
        // B is reached at this price; if exactly, the price may rise to the next break.
        let sum = below + less + equal
        guard sum <= B + slack else { return pivot...pivot }
        var next = Double.infinity
        for b in breaks where b.price > pivot { next = Swift.min(next, b.price) }
        return pivot...next
      } else {
        below += less + equal
        lo = gt
      }
    }
    return nil
  }

  static func global(
    data: SystemData, uplink given: UplinkCertificate, batches: [Double],
    downlink: DownlinkCertificate,
    uplinkFloor: Double, efficiency: Double, settings: FEELSolver.Settings
  ) -> GlobalCertificate {
    let slack = settings.certifierSlack
    // At a kink of T^U the batch price is not unique: take the one that makes the
    // supporting line tangent to the efficiency, γ = (T^U + T^D)·g'(B)/g(B), clamped to
    // the valid interval (first-order condition g·T'(B) = g'·T; γ = T/(2B) for ξ√B).
    var uplink = given
    let B = given.globalBatch
    let ideal = (given.roundLength + downlink.roundLength) * data.lossDecay.elasticity(B) / B
    func tight(_ bound: Double) -> Bool {
      bound.isFinite && bound >= given.dualBound - slack * abs(given.dualBound)
    }
    if let range = batchPriceInterval(
      data: data, weights: given.deviceWeights, globalBatch: given.globalBatch, slack: slack)
    {
      let gamma = Swift.min(Swift.max(ideal, range.lowerBound), range.upperBound)
      let bound = uplinkDualBound(
        data: data, weights: given.deviceWeights, batchPrice: gamma, globalBatch: given.globalBatch)
      if tight(bound) {
        uplink.batchPrice = gamma
        uplink.dualBound = bound
      }
    }
    var ub = efficiencyUpperBound(
      data: data, uplink: uplink, uplinkFloor: uplinkFloor, downlinkBound: downlink.dualBound)
    // Every γ gives a valid bound. Within rounding of a kink of T^U (B* a few ulps of T from
    // the point where a device reaches a bound, common when T^U is very flat in B) the
    // computed interval misses the tangent price, yet the dual bound at that price is
    // still tight at B*: keep whichever γ proves the smaller efficiency bound.
    if ideal.isFinite, ideal != uplink.batchPrice {
      let bound = uplinkDualBound(
        data: data, weights: given.deviceWeights, batchPrice: ideal, globalBatch: B)
      if tight(bound) {
        var candidate = uplink
        candidate.batchPrice = ideal
        candidate.dualBound = bound
        let other = efficiencyUpperBound(
          data: data, uplink: candidate, uplinkFloor: uplinkFloor,
          downlinkBound: downlink.dualBound)
        if other < ub {
          uplink = candidate
          ub = other
        }
      }
    }
    if !(ub - efficiency <= settings.alternativeWeightsGap * abs(efficiency)) {
      (uplink, ub) = strengthenedGlobal(
        data: data, current: (uplink, ub), given: given, batches: batches, downlink: downlink,
        uplinkFloor: uplinkFloor, ideal: ideal, slack: slack)
    }
    return GlobalCertificate(
      uplink: uplink, downlink: downlink, uplinkFloor: uplinkFloor, efficiency: efficiency,
      efficiencyUpperBound: ub)
  }
}
