import ConvexCore

/// The root T > max_k m_k of the harmonic equation Σ_k w_k/(T − m_k) = 1.
///
/// This is the optimality condition of every min-max TDMA problem in the package: the
/// downlink problem P5 (Theorem 2: w_k = d_k, m_k the model update latency), and the
/// uplink problem at a fixed allocation of batches (w_k = a_k, m_k = t_k(B_k)).
///
/// Numerical priorities: the root is bracketed in [max m, max m + Σ w] (the left end is
/// the pole, the right end is feasible since each term is then ≤ w_k/Σw); then accuracy
/// to a few ulps; then speed.
///
/// Method: ψ(T) = 1/Σ_k w_k/(T − m_k) is concave and increasing for T > max m (a
/// harmonic combination of positive affine functions), with ψ(max m) = 0 and right
/// slope 1/Σ_{k: m_k = max m} w_k there. Newton on ψ(T) = 1 started at the pole never
/// overshoots (the tangent of a concave function lies above it) and converges
/// monotonically and quadratically. ``SafeguardedNewton`` keeps it in the bracket.
/// - Complexity: O(K) per iteration, typically 5–8 iterations.
enum HarmonicRoot {
  /// The root and the iteration count; `weights` > 0 and `poles` finite (checked by the
  /// callers' ``Scenario`` validation).
  static func solve(
    weights: UnsafeBufferPointer<Double>, poles: UnsafeBufferPointer<Double>,
    settings: FEELSolver.Settings
  )
    -> RootResult
  {
    let K = weights.count
    var top = -Double.infinity
    var total = 0.0
    for k in 0..<K {
      top = Swift.max(top, poles[k])
      total += weights[k]
    }
    var tied = 0.0
    for k in 0..<K where poles[k] == top { tied += weights[k] }
    let hi = top + total
    return SafeguardedNewton.solve(
      in: top...hi, start: top, xTolerance: settings.rootTolerance,
      maxIterations: settings.harmonicRootMaxIterations
    ) { T in
      psi(T, top: top, tied: tied, weights: weights, poles: poles)
    }
  }

  /// Array convenience.
  static func solve(
    weights: [Double], poles: [Double], settings: FEELSolver.Settings
  ) -> RootResult {
    weights.withUnsafeBufferPointer { w in
      poles.withUnsafeBufferPointer { m in solve(weights: w, poles: m, settings: settings) }
    }
  }

  /// The slots of a fixed allocation: the fractions at the root and the round length
  /// max_k m_k + w_k/x_k recomputed from them.
  ///
  /// When the weights at the largest pole are below its last bit, Newton's first step
  /// from the pole rounds to zero and the search stops on the pole, where the fraction of
  /// that device is infinite and ``fractions(weights:poles:root:minimum:)`` can squeeze
  /// every other device towards zero slots. The root is then a few ulps above the pole:
  /// in that case the fractions are also computed at the first feasible point
  /// top + ulp(top)·2^j, j = 0, 1, … (within a factor 2 of the root's distance from the
  /// pole), and the allocation with the shorter round is kept (both have Σ x_k ≤ 1).
  /// - Parameter minimum: a floor on every fraction (see ``fractions(weights:poles:root:minimum:)``).
  /// - Returns: the fractions, the round length and how the root search stopped.
  static func slots(
    weights w: [Double], poles m: [Double], minimum: Double = 0, settings: FEELSolver.Settings
  ) -> (fractions: [Double], roundLength: Double, status: SolverStatus) {
    let r = solve(weights: w, poles: m, settings: settings)
    func at(_ T: Double) -> (fractions: [Double], roundLength: Double, status: SolverStatus) {
      let x = fractions(weights: w, poles: m, root: T, minimum: minimum)
      var round = -Double.infinity
      for k in 0..<w.count { round = Swift.max(round, m[k] + w[k] / x[k]) }
      return (x, w.isEmpty ? .nan : round, r.status)
    }
    let first = at(r.root)
    guard let top = m.max(), !(r.root > top) else { return first }
    var d = top.ulp
    var T = top + d
    while T.isFinite {
      var sum = 0.0
      for k in 0..<w.count { sum += w[k] / (T - m[k]) }
      if sum <= 1 { break }
      d *= 2
      T = top + d
    }
    guard T.isFinite else { return first }
    let second = at(T)
    return second.roundLength < first.roundLength || first.roundLength.isNaN ? second : first
  }

  /// The fractions x_k = w_k/(T − m_k) at a computed root T, completed so that
  /// Σ x_k = 1 without spoiling the finishing times m_k + w_k/x_k.
  ///
  /// A root computed to one ulp leaves Σ x_k = 1 + e with e ≈ Σ x_k·δ/(T − m_k), large
  /// relative to δ when T sits close to a pole; scaling every x_k by 1/(1 + e) would then
  /// delay every device by e·(T − m_k). Instead the device i with the largest sensitivity
  /// x_i/(T − m_i) takes the remainder, x_i = 1 − Σ_{k≠i} x_k, which moves its finishing
  /// time by (T − m_i)·e/x_i ≤ K·δ; the others finish at T to rounding. (If the remainder
  /// is not positive the fractions are scaled down instead.)
  ///
  /// `minimum` (default 0) is a floor on every fraction, for slots that must stay normal
  /// doubles once multiplied by the frame length (a larger slot only finishes its device
  /// earlier; the pivot's remainder is computed after it).
  static func fractions(
    weights w: [Double], poles m: [Double], root T: Double, minimum: Double = 0
  ) -> [Double] {
    let K = w.count
    var x = [Double](repeating: 0, count: K)
    var pivot = 0
    var sensitivity = -Double.infinity
    for k in 0..<K {
      let gap = Swift.max(T - m[k], .leastNormalMagnitude)
      x[k] = Swift.max(w[k] / gap, minimum)
      let s = x[k] / gap
      if s > sensitivity {
        sensitivity = s
        pivot = k
      }
    }
    var others = 0.0
    for k in 0..<K where k != pivot { others += x[k] }
    let rest = 1 - others
    if K > 0, rest > 0, rest.isFinite {
      x[pivot] = rest
    } else {
      let total = x.reduce(0, +)
      if total > 1 { x = x.map { $0 / total } }
    }
    return x
  }

  /// ψ(T) − 1 and ψ'(T), with the one-sided limits at the pole.
  @inline(__always)
  static func psi(
    _ T: Double, top: Double, tied: Double, weights: UnsafeBufferPointer<Double>,
    poles: UnsafeBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    if T <= top { return (-1, 1 / tied) }
    var F = 0.0
    var dF = 0.0
    for k in 0..<weights.count {
      let r = 1 / (T - poles[k])
      let term = weights[k] * r
      F += term
      dF += term * r
    }
    let psi = 1 / F
    return (psi - 1, dF * psi * psi)
  }
}
