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
/// Σ_k x_k(v) = 1, a water-filling solved exactly by a warm-started active-set Newton
/// (O(K) per pass, usually one or two passes), with the sorted-breakpoint algorithm
/// ``BreakpointWaterFilling`` (O(K log K)) as its fallback. Between breakpoints, with I the interior
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
  let q: [Double]
  /// α_k + β_k ℓ_k and α_k + β_k u_k: the compute latency at the bounds.
  let computeAtLower: [Double]
  let computeAtUpper: [Double]
  /// Per-evaluation buffers, owned by the engine (raw buffers: no copy-on-write or
  /// exclusivity checks in the O(K) loops).
  private let zeros: UnsafeMutableBufferPointer<Double>
  let slotLow: UnsafeMutableBufferPointer<Double>
  let slotHigh: UnsafeMutableBufferPointer<Double>
  /// The slots x_k of the last evaluation.
  let slots: UnsafeMutableBufferPointer<Double>
  private var waterFilling: BreakpointWaterFilling
  /// T_min: the round length with every device at ℓ_k (B(T_min) = Σℓ).
  private(set) var minimumRound: Double = 0
  /// A lower bound on T_min certified by the sign of Σ a_k/(T − t_k(ℓ_k)) − 1 (the left end
  /// of the root's final bracket): the uplink floor of the global certificate.
  private(set) var minimumRoundFloor: Double = 0
  /// T_max: the round length with every device at u_k (B(T_max) = Σu).
  private(set) var maximumRound: Double = 0
  /// How the harmonic roots of T_min and T_max stopped (the first that did not converge).
  private(set) var rootStatus = SolverStatus.converged
  /// Evaluations of B(T) so far.
  var evaluations = 0
  /// The level of the last interior evaluation, to warm-start the next one.
  private var lastLevel = 0.0
  /// Level solves that needed the sorting fallback.
  private(set) var sortedFallbacks = 0
  /// Σ q_k (summed in index order), the level solve's cold start 1/Σq.
  private let qSum: Double

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
    /// The ordinal of the evaluation that produced this point (``evaluations`` then): the
    /// engine's slot buffers describe this point while no later evaluation was made.
    var evaluation: Int
  }

  /// The tolerances and caps of the level solve and of the roots at T_min and T_max.
  let settings: FEELSolver.Settings

  init(_ data: SystemData, settings: FEELSolver.Settings) {
    self.data = data
    self.settings = settings
    count = data.count
    q = (0..<count).map { (data.uplinkWork[$0] / data.beta[$0]).squareRoot() }
    var qSum = 0.0
    for k in 0..<count { qSum += q[k] }
    self.qSum = qSum
    computeAtLower = (0..<count).map { data.alpha[$0] + data.beta[$0] * data.lower[$0] }
    computeAtUpper = (0..<count).map { data.alpha[$0] + data.beta[$0] * data.upper[$0] }
    zeros = UplinkEngine.buffer(data.count)
    slotLow = UplinkEngine.buffer(data.count)
    slotHigh = UplinkEngine.buffer(data.count)
    slots = UplinkEngine.buffer(data.count)
    waterFilling = BreakpointWaterFilling(capacity: count)
    let low = data.uplinkWork.withUnsafeBufferPointer { a in
      computeAtLower.withUnsafeBufferPointer { c in
        HarmonicRoot.solve(weights: a, poles: c, settings: settings)
      }
    }
    minimumRound = low.root
    minimumRoundFloor = Swift.min(low.root, low.bracket.lowerBound)
    let high = data.uplinkWork.withUnsafeBufferPointer { a in
      computeAtUpper.withUnsafeBufferPointer { c in
        HarmonicRoot.solve(weights: a, poles: c, settings: settings)
      }
    }
    maximumRound = high.root
    self.rootStatus = FEELSolver.firstFailure([low.status, high.status])
    if maximumRound < minimumRound { maximumRound = minimumRound }
  }

  private static func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
    let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(count, 1))
    b.initialize(repeating: 0)
    return b
  }

  deinit {
    zeros.deallocate()
    slotLow.deallocate()
    slotHigh.deallocate()
    slots.deallocate()
  }

  /// Evaluates B(T) and its derivatives; T is clamped into [T_min, T_max] first.
  func evaluate(_ roundLength: Double) -> Point {
    evaluations += 1
    let T = Swift.min(Swift.max(roundLength, minimumRound), maximumRound)
    var sumLow = 0.0
    var sumHigh = 0.0
    // The O(K) loops read raw pointers into the compiled data (no bounds checks or
    // reference counting per device); the arithmetic is that of the formulas above.
    data.uplinkWork.withUnsafeBufferPointer { a in
      computeAtLower.withUnsafeBufferPointer { cLow in
        computeAtUpper.withUnsafeBufferPointer { cHigh in
          for k in 0..<count {
            let lowRoom = T - cLow[k]
            let lo = lowRoom > 0 ? a[k] / lowRoom : 2
            let highRoom = T - cHigh[k]
            var hi = highRoom > 0 ? a[k] / highRoom : 2
            if hi > 2 { hi = 2 }
            let low = Swift.min(lo, hi)
            slotLow[k] = low
            slotHigh[k] = hi
            sumLow += low
            sumHigh += hi
          }
        }
      }
    }
    // When T_min and T_max are the same double (compute is below the last bit of the
    // round length), every batch fits in that round: B(T) is the largest, Σ u_k.
    if maximumRound > minimumRound, sumLow >= 1 || T <= minimumRound {
      return boundary(T, lower: true)
    }
    if sumHigh <= 1 || T >= maximumRound {
      return boundary(T, lower: false)
    }
    guard let v = solveLevel() else {
      return boundary(T, lower: 1 - sumLow < sumHigh - 1)
    }
    lastLevel = v
    let sums = interiorSums(T, level: v)
    let (batch, S, Q, D1, D2) = (sums.batch, sums.S, sums.Q, sums.D1, sums.D2)
    if Q == 0 {
      // A kink of B(T): every device sits at a bound and the level is not unique. Report
      // the right derivative (the smallest multiplier, i.e. the largest level v at which
      // no device at its lower bound has yet become interior); the left one if every
      // device is at its upper bound.
      var vRight = Double.infinity
      var vLeft = 0.0
      q.withUnsafeBufferPointer { q in
        for k in 0..<count {
          if slots[k] <= slotLow[k] {
            vRight = Swift.min(vRight, slotLow[k] / q[k])
          } else {
            vLeft = Swift.max(vLeft, slotHigh[k] / q[k])
          }
        }
      }
      let vStar = vRight.isFinite ? vRight : vLeft
      return Point(
        roundLength: T, batchSum: batch, slope: D1 / (vStar * vStar), curvature: 0, level: vStar,
        regime: .interior, evaluation: evaluations)
    }
    let inv = 1 / (v * v)
    return Point(
      roundLength: T, batchSum: batch, slope: S + D1 * inv,
      curvature: -2 * inv * (D2 + D1 * D1 / (v * Q)), level: v, regime: .interior,
      evaluation: evaluations)
  }

  /// The slots x_k at level v (left in ``slots``) and the sums of ``evaluate(_:)`` over
  /// them: Σ B_k, S = Σ_I 1/β_k, Q = Σ_I q_k, D1 = Σ_clip x_k²/a_k, D2 = Σ_clip x_k³/a_k².
  private func interiorSums(
    _ T: Double, level v: Double
  ) -> (batch: Double, S: Double, Q: Double, D1: Double, D2: Double) {
    var batch = 0.0
    var S = 0.0
    var Q = 0.0
    var D1 = 0.0
    var D2 = 0.0
    data.uplinkWork.withUnsafeBufferPointer { a in
      data.alpha.withUnsafeBufferPointer { alpha in
        data.beta.withUnsafeBufferPointer { beta in
          data.lower.withUnsafeBufferPointer { lower in
            data.upper.withUnsafeBufferPointer { upper in
              q.withUnsafeBufferPointer { q in
                for k in 0..<count {
                  let x = q[k] * v
                  let low = slotLow[k]
                  let high = slotHigh[k]
                  if low >= high && high < 1 {
                    // Degenerate (``isDegenerate(_:)``): every batch of this device needs
                    // the same slot (its compute is below the last bit of T): it takes
                    // u_k for free.
                    slots[k] = high
                    batch += upper[k]
                    let r = high / a[k]
                    D1 += high * r
                    D2 += high * r * r
                  } else if x <= low {
                    slots[k] = low
                    batch += lower[k]
                    let r = low / a[k]
                    D1 += low * r
                    D2 += low * r * r
                  } else if x >= high {
                    slots[k] = high
                    batch += upper[k]
                    let r = high / a[k]
                    D1 += high * r
                    D2 += high * r * r
                  } else {
                    slots[k] = x
                    let b = (T - alpha[k] - a[k] / x) / beta[k]
                    batch += Swift.min(Swift.max(b, lower[k]), upper[k])
                    S += 1 / beta[k]
                    Q += q[k]
                  }
                }
              }
            }
          }
        }
      }
    }
    return (batch, S, Q, D1, D2)
  }

  /// Whether device k's slot range at the last evaluated T is one point: its compute at
  /// u_k and at ℓ_k leave the same room T − t_k in binary64 (and that slot is a real one,
  /// < 1). Such a device computes u_k samples for the slot it needs anyway.
  @inline(__always)
  func isDegenerate(_ k: Int) -> Bool {
    slotLow[k] >= slotHigh[k] && slotHigh[k] < 1
  }

  /// Solves Σ_k clamp(q_k·v, lo_k, hi_k) = 1 for the level v > 0 (lo = ``slotLow``,
  /// hi = ``slotHigh``, with Σ lo < 1 < Σ hi).
  ///
  /// The sum S(v) is continuous, nondecreasing and piecewise linear. Active-set Newton,
  /// v ← v + (1 − S(v))/S'(v) with S' = Σ_interior q_k, lands on the exact root of the
  /// current piece; started from the previous level it usually needs one or two O(K)
  /// passes, since the active set changes little between Newton steps on T. A bracket
  /// [vLo, vHi] with S(vLo) < 1 < S(vHi) safeguards it (bisection or doubling when the
  /// step leaves it or S' = 0). It stops when a step keeps the active set (the root of
  /// that piece is then the root of S) and otherwise hands over, after 40 passes, to the
  /// exact sorted-breakpoint algorithm ``BreakpointWaterFilling`` (O(K log K))
  /// (``FEELSolver/Settings/levelPasses``).
  private func solveLevel() -> Double? {
    var v = lastLevel > 0 && lastLevel.isFinite ? lastLevel : 1 / qSum
    var vLo = 0.0
    var vHi = Double.infinity
    var previousSignature: (Double, Int, Int)? = nil
    for _ in 0..<settings.levelPasses {
      var S = 0.0
      var Q = 0.0
      var atLow = 0
      var atHigh = 0
      q.withUnsafeBufferPointer { q in
        for k in 0..<count {
          let x = q[k] * v
          let low = slotLow[k]
          let high = slotHigh[k]
          if x <= low {
            S += low
            atLow += 1
          } else if x >= high {
            S += high
            atHigh += 1
          } else {
            S += x
            Q += q[k]
          }
        }
      }
      let r = S - 1
      if r == 0 { return v }
      if let (pq, pl, ph) = previousSignature, pq == Q, pl == atLow, ph == atHigh, Q > 0 {
        return v
      }
      if r < 0 { vLo = Swift.max(vLo, v) } else { vHi = Swift.min(vHi, v) }
      previousSignature = (Q, atLow, atHigh)
      var next = Double.nan
      if Q > 0 { next = v - r / Q }
      if !(next > vLo && next < vHi) {
        previousSignature = nil
        next = vHi.isFinite ? 0.5 * (vLo + vHi) : 2 * Swift.max(v, vLo)
      }
      if next == v { return v }
      v = next
    }
    sortedFallbacks += 1
    // Σ clamp(q_k·v, lo_k, hi_k) = 1 as Σ clamp(0 − q_k·w, lo_k, hi_k) with w = −v.
    let result = q.withUnsafeBufferPointer { qq in
      waterFilling.solve(
        p: UnsafeBufferPointer(zeros), q: qq, lo: UnsafeBufferPointer(slotLow),
        hi: UnsafeBufferPointer(slotHigh), total: 1)
    }
    let level = -result.level
    guard result.status.isConverged, level > 0, level.isFinite else { return nil }
    return level
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
    var batch = lower ? data.affineMinimumBatch : data.maximumGlobalBatch
    if lower {
      for k in 0..<count where isDegenerate(k) { batch += data.upper[k] - data.lower[k] }
    }
    return Point(
      roundLength: T, batchSum: batch, slope: D1 / (vStar * vStar), curvature: 0, level: vStar,
      regime: lower ? .allLower : .allUpper, evaluation: evaluations)
  }

  /// The batches at `given`, B_k = (T − α_k − a_k/x_k)/β_k (exact bounds for clipped
  /// devices), adjusted so that Σ B_k equals `target` exactly up to rounding. They are
  /// computed from the point passed in: when the engine has evaluated another point since
  /// (its slot buffers then describe that one), `given`'s round length is evaluated again.
  func batches(at given: Point, target: Double) -> [Double] {
    let point = given.evaluation == evaluations ? given : evaluate(given.roundLength)
    let a = data.uplinkWork
    var b = [Double](repeating: 0, count: count)
    var free = [Int]()
    var sum = 0.0
    for k in 0..<count {
      switch point.regime {
      case .allLower: b[k] = isDegenerate(k) ? data.upper[k] : data.lower[k]
      case .allUpper: b[k] = data.upper[k]
      case .interior:
        if isDegenerate(k) {
          b[k] = data.upper[k]
        } else if slots[k] <= slotLow[k] {
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
    // Spread the rounding residual, interior devices first, within the bounds.
    UplinkEngine.spread(&b, target: target, preferred: free, lower: data.lower, upper: data.upper)
    return b
  }

  /// Moves b so that Σ b_k = target (to rounding) without leaving [lower, upper]: the
  /// residual goes to the `preferred` devices first, then to every device with room, in
  /// proportion to its room. Used only for residuals of the order of the rounding error
  /// of the level, so the round length it changes is recomputed exactly by the caller.
  static func spread(
    _ b: inout [Double], target: Double, preferred: [Int], lower: [Double], upper: [Double]
  ) {
    for pool in [preferred, Array(0..<b.count)] where !pool.isEmpty {
      for _ in 0..<3 {
        var sum = 0.0
        for x in b { sum += x }
        let residual = target - sum
        if residual == 0 || !residual.isFinite { return }
        var room = 0.0
        for k in pool { room += residual > 0 ? upper[k] - b[k] : b[k] - lower[k] }
        guard room > 0 else { break }
        let share = Swift.min(abs(residual) / room, 1)
        for k in pool {
          let r = residual > 0 ? upper[k] - b[k] : b[k] - lower[k]
          let moved = residual > 0 ? b[k] + share * r : b[k] - share * r
          b[k] = Swift.min(Swift.max(moved, lower[k]), upper[k])
        }
      }
    }
  }
}
