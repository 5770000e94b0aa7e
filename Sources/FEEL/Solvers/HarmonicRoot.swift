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

  /// The fractions x_k = w_k/(T − m_k) at a computed root T, completed so that
  /// Σ x_k = 1 without spoiling the finishing times m_k + w_k/x_k.
  ///
  /// A root computed to one ulp leaves Σ x_k = 1 + e with e ≈ Σ x_k·δ/(T − m_k), large
  /// relative to δ when T sits close to a pole; scaling every x_k by 1/(1 + e) would then
  /// delay every device by e·(T − m_k). Instead the device i with the largest sensitivity
  /// x_i/(T − m_i) takes the remainder, x_i = 1 − Σ_{k≠i} x_k, which moves its finishing
  /// time by (T − m_i)·e/x_i ≤ K·δ; the others finish at T to rounding. (If the remainder
  /// is not positive the fractions are scaled down instead.)
  static func fractions(weights w: [Double], poles m: [Double], root T: Double) -> [Double] {
    let K = w.count
    var x = [Double](repeating: 0, count: K)
    var pivot = 0
    var sensitivity = -Double.infinity
    for k in 0..<K {
      let gap = Swift.max(T - m[k], .leastNormalMagnitude)
      x[k] = w[k] / gap
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
