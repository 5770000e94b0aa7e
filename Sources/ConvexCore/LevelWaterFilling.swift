// Numerical priorities: (1) never return an infeasible allocation: the answer is a convex
// combination of two box-feasible allocations whose sums bracket the total, with the last
// rounding residual spread over components with room, (2) then accuracy: the level is
// bisected until its bracket is relatively tight, (3) then speed.

/// The outcome of ``LevelWaterFilling``.
///
/// On `.converged` and `.iterationLimit`, `allocation` is feasible (inside the box, sum
/// equal to `total` up to rounding) and `level` is the water level ν. On `.infeasible`
/// and `.invalidInput`, `allocation` is empty and `level` is NaN.
public struct WaterFillingResult: Sendable {
  /// The outcome; see the type's documentation.
  public var status: SolverStatus
  /// The minimizer `x`, one entry per variable.
  public var allocation: [Double]
  /// The water level ν (the multiplier of `Σx = total`).
  public var level: Double
  /// Outer (level) bisection steps taken.
  public var iterations: Int

  /// Creates a result; the solver fills every field.
  public init(status: SolverStatus, allocation: [Double], level: Double, iterations: Int) {
    self.status = status
    self.allocation = allocation
    self.level = level
    self.iterations = iterations
  }
}

/// General box-constrained water-filling by nested bisection.
///
/// **Problem.** `minimize Σ_k f_k(x_k)` subject to `Σ_k x_k = total`,
/// `lo_k <= x_k <= hi_k`, with each `f_k` convex and differentiable, given only the
/// derivatives `f_k'` (nondecreasing). KKT: there is a level ν with
/// `x_k = argmin_{lo_k <= x <= hi_k} f_k(x) − ν·x`, i.e. `x_k = lo_k` if `f_k'(lo_k) >= ν`,
/// `x_k = hi_k` if `f_k'(hi_k) <= ν`, else `f_k'(x_k) = ν`.
///
/// **Method.** Bisection on ν over `[min_k f_k'(lo_k), max_k f_k'(hi_k)]`, keeping
/// allocations `x⁻` (sum `<= total`, level ν⁻) and `x⁺` (sum `>= total`, level ν⁺); each
/// `x(ν)` by inner bisection on `f_k'(x) = ν`. The answer interpolates `x⁻` and `x⁺` to
/// hit the total exactly, which also handles flat stretches of `f_k'` (linear `f_k`).
///
/// **Preconditions.** `lower.count == upper.count`; all bounds, `Σ(|lo| + |hi|)` and
/// `total` finite;
/// `lower[k] <= upper[k]`; `tolerance` finite and `> 0`; `maxIterations >= 1`;
/// `derivative(k, lo_k)` and `derivative(k, hi_k)` finite; `derivative` never NaN
/// (otherwise `.invalidInput`). `total ∉ [Σlo, Σhi]` (beyond `K·ε·Σ(|lo|+|hi|)`) gives
/// `.infeasible`.
///
/// **Guarantee.** On `.converged`: `lo_k <= x_k <= hi_k`, `Σx_k = total` up to rounding,
/// and every `x_k` satisfies the KKT conditions for some level in `[ν⁻, ν⁺]`, an interval
/// of width `<= tolerance·max(1, |ν|)` containing `level` (up to the accuracy of the inner
/// bisection, `tolerance·max(|lo_k|, |hi_k|)` in `x_k`). With `K = 0` and `total = 0` the
/// result is the empty allocation.
///
/// **Complexity.** O(K · log(range/tolerance)²) evaluations of `derivative`; O(K) memory.
///
/// **Reference.** M. Patriksson, "A survey on the continuous nonlinear resource allocation
/// problem", *European J. Oper. Res.* 185 (2008) 1–46, §5 (dual / multiplier search).
public enum LevelWaterFilling {
  /// Minimizes `Σ f_k(x_k)` over the box with `Σ x_k = total`; see ``LevelWaterFilling``.
  ///
  /// - Parameters:
  ///   - lower: `lo_k`.
  ///   - upper: `hi_k`.
  ///   - total: the required sum.
  ///   - tolerance: relative width of the final level bracket (and of the inner brackets).
  ///   - maxIterations: bisection steps allowed on the level (and on each inner solve).
  ///   - derivative: `f_k'(x)`, nondecreasing in `x`.
  /// - Returns: a ``WaterFillingResult``.
  /// - Complexity: O(K · maxIterations²) derivative evaluations at most.
  public static func solve(
    lower: [Double], upper: [Double], total: Double, tolerance: Double = 1e-12,
    maxIterations: Int = 200, derivative: (_ k: Int, _ x: Double) -> Double
  ) -> WaterFillingResult {
    func invalid(_ why: String) -> WaterFillingResult {
      WaterFillingResult(status: .invalidInput(why), allocation: [], level: .nan, iterations: 0)
    }
    let count = lower.count
    if upper.count != count {
      return invalid("lengths differ: lower \(count), upper \(upper.count)")
    }
    if !total.isFinite { return invalid("total \(total) is not finite") }
    if !(tolerance.isFinite && tolerance > 0) { return invalid("tolerance must be > 0") }
    if maxIterations < 1 { return invalid("maxIterations must be >= 1") }
    var sumLo = 0.0
    var sumHi = 0.0
    var sumAbs = 0.0
    for k in 0..<count {
      if !(lower[k].isFinite && upper[k].isFinite) { return invalid("bound \(k) not finite") }
      if !(lower[k] <= upper[k]) { return invalid("lower[\(k)] > upper[\(k)]") }
      sumLo += lower[k]
      sumHi += upper[k]
      sumAbs += abs(lower[k]) + abs(upper[k])
    }
    if !sumAbs.isFinite { return invalid("the sums of the bounds overflow") }
    let slack = Double(count) * Double.ulpOfOne * sumAbs
    if total > sumHi + slack || total < sumLo - slack {
      return WaterFillingResult(
        status: .infeasible("total \(total) outside [\(sumLo), \(sumHi)]"), allocation: [],
        level: .nan, iterations: 0)
    }
    if count == 0 {
      return WaterFillingResult(status: .converged, allocation: [], level: 0, iterations: 0)
    }
    var dLo = [Double](repeating: 0, count: count)
    var dHi = [Double](repeating: 0, count: count)
    for k in 0..<count {
      dLo[k] = derivative(k, lower[k])
      dHi[k] = derivative(k, upper[k])
      if !dLo[k].isFinite || !dHi[k].isFinite {
        return invalid("derivative of term \(k) at a bound is not finite")
      }
    }
    var levelLo = dLo.min() ?? 0
    var levelHi = dHi.max() ?? 0
    var xLo = lower
    var xHi = upper
    var sLo = sumLo
    var sHi = sumHi
    var x = [Double](repeating: 0, count: count)
    var iterations = 0
    var status = SolverStatus.iterationLimit
    while iterations < maxIterations {
      if levelHi - levelLo <= tolerance * max(1, abs(levelLo), abs(levelHi))
        || sHi - sLo <= 0
      {
        status = .converged
        break
      }
      let level = midpoint(levelLo, levelHi)
      if !(level > levelLo && level < levelHi) {
        status = .converged
        break
      }
      iterations += 1
      for k in 0..<count {
        guard
          let v = response(
            k, level, lower[k], upper[k], dLo[k], dHi[k], tolerance, maxIterations, derivative)
        else { return invalid("derivative of term \(k) returned NaN") }
        x[k] = v
      }
      let s = x.reduce(0, +)
      if s <= total {
        (levelLo, sLo) = (level, s)
        swap(&xLo, &x)
      } else {
        (levelHi, sHi) = (level, s)
        swap(&xHi, &x)
      }
    }
    // Interpolate between the two bracketing allocations, then spread the residual.
    let theta = sHi - sLo > 0 ? min(max((total - sLo) / (sHi - sLo), 0), 1) : 0
    for k in 0..<count {
      x[k] = min(max(xLo[k] + theta * (xHi[k] - xLo[k]), lower[k]), upper[k])
    }
    var residual = total - x.reduce(0, +)
    for k in 0..<count where residual != 0 {
      let moved = min(max(x[k] + residual, lower[k]), upper[k])
      residual -= moved - x[k]
      x[k] = moved
    }
    return WaterFillingResult(
      status: status, allocation: x, level: midpoint(levelLo, levelHi),
      iterations: iterations)
  }

  /// argmin over [lo, hi] of f_k(x) − ν·x by bisection on f_k'(x) = ν; nil on NaN.
  private static func response(
    _ k: Int, _ level: Double, _ lo: Double, _ hi: Double, _ dLo: Double, _ dHi: Double,
    _ tolerance: Double, _ maxIterations: Int, _ derivative: (Int, Double) -> Double
  ) -> Double? {
    if dLo >= level { return lo }
    if dHi <= level { return hi }
    var a = lo
    var b = hi
    for _ in 0..<maxIterations {
      if b - a <= tolerance * max(abs(a), abs(b)) { break }
      let m = midpoint(a, b)
      if !(m > a && m < b) { break }
      let d = derivative(k, m)
      if d.isNaN { return nil }
      if d < level { a = m } else if d > level { b = m } else { return m }
    }
    return midpoint(a, b)
  }
}
