import ConvexCore

/// The uplink problem at a round length T, solved exactly: the largest global batch
/// the devices can compute and upload within T (the inverse view of P4/P7).
///
/// For a round length T the largest global batch is
///
///     B(T) = max Σ_k B_k  s.t.  Σ_k a_k/(T − α_k − β_k·B_k) ≤ 1,  ℓ_k ≤ B_k ≤ u_k,
///
/// a concave increasing function of T whose inverse is the uplink round length T^U(B)
/// of Theorem 1. KKT gives, with one level v > 0, the slot of every device
/// x_k(v) = clamp(q_k·v, a_k/(T − α_k − β_k ℓ_k), a_k/(T − α_k − β_k u_k)) with
/// q_k = √(a_k/β_k), and the batch B_k = (T − α_k − a_k/x_k)/β_k. The level solves
/// Σ_k x_k(v) = 1, a water-filling over sorted breakpoints solved exactly by
/// ``BreakpointWaterFilling`` in O(K log K). Between breakpoints, with I the interior
/// devices, S = Σ_I 1/β_k and the clipped sums D1 = Σ_clip x_k²/a_k,
/// D2 = Σ_clip x_k³/a_k², the derivatives are exact:
///
///     B'(T) = S + D1/v²,   B''(T) = −(2/v²)·(D2 + D1²/(v·Q)),   Q = Σ_I q_k.
///
/// (B'(T) = 1/T^U'(B): it is the multiplier of the slot constraint, by the envelope
/// theorem.) These feed Newton's method on T for a fixed B and the first-order
/// condition of the global batch.
///
/// Numerical priorities: never return an infeasible allocation; then accuracy; then speed.
final class UplinkEngine {
  let data: SystemData
  let count: Int
  /// q_k = √(a_k/β_k).
  private(set) var q: [Double]
  /// α_k + β_k ℓ_k and α_k + β_k u_k: the compute latency at the bounds.
  private(set) var computeAtLower: [Double]
  private(set) var computeAtUpper: [Double]
  /// Per-evaluation buffers.
  private var zeros: [Double]
  private(set) var slotLow: [Double]
  private(set) var slotHigh: [Double]
  /// The slots x_k of the last evaluation.
  private(set) var slots: [Double]
  private var waterFilling: BreakpointWaterFilling
  /// T_min: the round length with every device at ℓ_k (B(T_min) = Σℓ).
  private(set) var minimumRound: Double = 0
  /// T_max: the round length with every device at u_k (B(T_max) = Σu).
  private(set) var maximumRound: Double = 0
  /// Newton iterations spent in the last public call.
  var evaluations = 0

  /// Where the evaluation point lies.
  enum Regime: Sendable { case interior, allLower, allUpper }

  /// B(T) and its derivatives at one T; the slots are left in ``slots``.
  struct Point: Sendable {
    var roundLength: Double
    var batchSum: Double
    /// B'(T) (one-sided at the ends of the domain, towards its inside).
    var slope: Double
    /// B''(T) (0 where no device is interior).
    var curvature: Double
    /// The level v of the slot water-filling (x_k = q_k·v for interior devices).
    var level: Double
    var regime: Regime
  }

  init(_ data: SystemData) {
    self.data = data
    count = data.count
    q = (0..<count).map { (data.uplinkWork[$0] / data.beta[$0]).squareRoot() }
    computeAtLower = (0..<count).map { data.alpha[$0] + data.beta[$0] * data.lower[$0] }
    computeAtUpper = (0..<count).map { data.alpha[$0] + data.beta[$0] * data.upper[$0] }
    zeros = [Double](repeating: 0, count: count)
    slotLow = zeros
    slotHigh = zeros
    slots = zeros
    waterFilling = BreakpointWaterFilling(capacity: count)
    minimumRound = data.uplinkWork.withUnsafeBufferPointer { a in
      computeAtLower.withUnsafeBufferPointer { c in HarmonicRoot.solve(weights: a, poles: c).root }
    }
    maximumRound = data.uplinkWork.withUnsafeBufferPointer { a in
      computeAtUpper.withUnsafeBufferPointer { c in HarmonicRoot.solve(weights: a, poles: c).root }
    }
    if maximumRound < minimumRound { maximumRound = minimumRound }
  }

  /// Evaluates B(T) and its derivatives; T is clamped into [T_min, T_max] first.
  func evaluate(_ roundLength: Double) -> Point {
    evaluations += 1
    let T = Swift.min(Swift.max(roundLength, minimumRound), maximumRound)
    let a = data.uplinkWork
    var sumLow = 0.0
    var sumHigh = 0.0
    for k in 0..<count {
      let lowRoom = T - computeAtLower[k]
      let lo = lowRoom > 0 ? a[k] / lowRoom : 2
      let highRoom = T - computeAtUpper[k]
      var hi = highRoom > 0 ? a[k] / highRoom : 2
      if hi > 2 { hi = 2 }
      slotLow[k] = Swift.min(lo, hi)
      slotHigh[k] = hi
      sumLow += slotLow[k]
      sumHigh += hi
    }
    if sumLow >= 1 || T <= minimumRound {
      return boundary(T, lower: true)
    }
    if sumHigh <= 1 || T >= maximumRound {
      return boundary(T, lower: false)
    }
    // Σ clamp(q_k·v, lo_k, hi_k) = 1 written as Σ clamp(0 − q_k·w, lo_k, hi_k) with w = −v.
    let result = zeros.withUnsafeBufferPointer { p in
      q.withUnsafeBufferPointer { qq in
        slotLow.withUnsafeBufferPointer { lo in
          slotHigh.withUnsafeBufferPointer { hi in
            waterFilling.solve(p: p, q: qq, lo: lo, hi: hi, total: 1)
          }
        }
      }
    }
    let v = -result.level
    guard result.status.isConverged, v > 0, v.isFinite else {
      return boundary(T, lower: 1 - sumLow < sumHigh - 1)
    }
    var batch = 0.0
    var S = 0.0
    var Q = 0.0
    var D1 = 0.0
    var D2 = 0.0
    for k in 0..<count {
      let x = q[k] * v
      if x <= slotLow[k] {
        slots[k] = slotLow[k]
        batch += data.lower[k]
        let r = slotLow[k] / a[k]
        D1 += slotLow[k] * r
        D2 += slotLow[k] * r * r
      } else if x >= slotHigh[k] {
        slots[k] = slotHigh[k]
        batch += data.upper[k]
        let r = slotHigh[k] / a[k]
        D1 += slotHigh[k] * r
        D2 += slotHigh[k] * r * r
      } else {
        slots[k] = x
        let b = (T - data.alpha[k] - a[k] / x) / data.beta[k]
        batch += Swift.min(Swift.max(b, data.lower[k]), data.upper[k])
        S += 1 / data.beta[k]
        Q += q[k]
      }
    }
    let inv = 1 / (v * v)
    if Q == 0 {
      // Every device is clipped and the clipped slots fill the frame exactly: T is a kink
      // of B(T) (the water level is not unique, S is flat on the level range), where the
      // optimum of the global batch often lies. B(T) is the clipped sum just computed, not
      // an end of the domain; the slope is the one-sided value at the reported level.
      return Point(
        roundLength: T, batchSum: batch, slope: D1 * inv, curvature: 0, level: v,
        regime: .interior)
    }
    return Point(
      roundLength: T, batchSum: batch, slope: S + D1 * inv,
      curvature: -2 * inv * (D2 + D1 * D1 / (v * Q)), level: v, regime: .interior)
  }

  /// The point at an end of the domain, where every device sits at one bound, with the
  /// one-sided slope towards the inside: B'(T) = Σ x_k²/a_k / v*² with v* the level at
  /// which the first device leaves its bound.
  private func boundary(_ T: Double, lower: Bool) -> Point {
    let a = data.uplinkWork
    let room = lower ? computeAtLower : computeAtUpper
    var total = 0.0
    for k in 0..<count {
      slots[k] = a[k] / Swift.max(T - room[k], .leastNormalMagnitude)
      total += slots[k]
    }
    // Normalize so the slots are feasible (Σ x = 1 holds up to rounding at T_min/T_max).
    for k in 0..<count { slots[k] /= total }
    var vStar = lower ? Double.infinity : 0
    var D1 = 0.0
    for k in 0..<count {
      let ratio = slots[k] / q[k]
      vStar = lower ? Swift.min(vStar, ratio) : Swift.max(vStar, ratio)
      D1 += slots[k] * slots[k] / a[k]
    }
    let batch = lower ? data.affineMinimumBatch : data.maximumGlobalBatch
    return Point(
      roundLength: T, batchSum: batch, slope: D1 / (vStar * vStar), curvature: 0, level: vStar,
      regime: lower ? .allLower : .allUpper)
  }

  /// The batches of the last evaluation, B_k = (T − α_k − a_k/x_k)/β_k (exact bounds for
  /// clipped devices), adjusted so that Σ B_k equals `target` exactly up to rounding.
  func batches(at point: Point, target: Double) -> [Double] {
    let a = data.uplinkWork
    var b = [Double](repeating: 0, count: count)
    var free = [Int]()
    var sum = 0.0
    for k in 0..<count {
      switch point.regime {
      case .allLower: b[k] = data.lower[k]
      case .allUpper: b[k] = data.upper[k]
      case .interior:
        if slots[k] <= slotLow[k] {
          b[k] = data.lower[k]
        } else if slots[k] >= slotHigh[k] {
          b[k] = data.upper[k]
        } else {
          let raw = (point.roundLength - data.alpha[k] - a[k] / slots[k]) / data.beta[k]
          b[k] = Swift.min(Swift.max(raw, data.lower[k]), data.upper[k])
          free.append(k)
        }
      }
      sum += b[k]
    }
    // Spread the rounding residual over the interior devices, within their bounds.
    var residual = target - sum
    if residual != 0 {
      let pool = free.isEmpty ? Array(0..<count) : free
      for _ in 0..<2 where residual != 0 {
        let share = residual / Double(pool.count)
        for k in pool {
          let nb = Swift.min(Swift.max(b[k] + share, data.lower[k]), data.upper[k])
          residual -= nb - b[k]
          b[k] = nb
        }
      }
    }
    return b
  }
}
