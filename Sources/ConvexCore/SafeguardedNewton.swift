// Numerical priorities: (1) never leave the bracket and always keep a sign change in it,
// (2) then accuracy: stop only when the bracket itself is narrower than the tolerance,
// so the reported root is certified by a sign change, not by a small Newton step,
// (3) then speed: quadratic convergence for monotone convex or concave f.

/// Safeguarded Newton's method for a scalar root with a bracket.
///
/// **Problem.** Find `x ∈ [a, b]` with `f(x) = 0`, for `f` continuously differentiable
/// on `[a, b]` with `f(a)·f(b) < 0`, given `f` and `f'` together.
///
/// **Method.** Newton steps from the last evaluated point; a step is replaced by a
/// bisection step when it leaves the open bracket, is not finite, or is longer than half
/// the step before last (too little progress). Every evaluated point becomes an end of
/// the bracket according to the sign of `f`. A Newton step shorter than
/// `xTolerance·|x|/2` is lengthened to that length (as in Brent's method), so that once
/// Newton has converged one more evaluation lands on the far side of the root and
/// certifies it with a sign change.
///
/// **Preconditions.** `a` and `b` finite; `xTolerance` (relative) and `fTolerance`
/// (absolute) finite and `>= 0`; `start`, when given, finite (it is clamped into the
/// bracket); `maxIterations >= 0`. `f` may return `±∞` values at the bracket ends (used
/// by sign) and any derivative that is infinite or zero (a bisection step is taken); a
/// NaN value or derivative stops the solver with `.invalidInput`.
///
/// **Guarantee.** On `.converged` with `.xTolerance`, `bracket` contains a sign change
/// of `f` and `bracket.upperBound − bracket.lowerBound <= xTolerance · max(|lo|, |hi|)`
/// (or its ends are adjacent doubles); `root` is the end with the smaller `|f|`.
/// `.exactZero` and `.fTolerance` are as for ``Bisection``. All iterates lie in the
/// initial bracket. For `f` monotone and convex or concave near the root the iteration
/// converges quadratically; in every case it needs at most about twice the evaluations of
/// bisection. Because the tolerance is relative, a root at exactly 0 inside the bracket
/// is reached only through `.exactZero` (or `.fTolerance`); pass an `fTolerance` or a
/// large `maxIterations` for such roots.
///
/// **Complexity.** At most `2 + maxIterations` evaluations of `f` (the evaluation at
/// `start` counts as an iteration); typically a handful. O(1) memory.
///
/// **Reference.** W. H. Press et al., *Numerical Recipes*, 3rd ed., 2007, §9.4 (`rtsafe`);
/// R. P. Brent, *Algorithms for Minimization without Derivatives*, 1973, ch. 4.
public enum SafeguardedNewton {
  /// Finds a root of `f` in `bracket` by Newton's method with a bisection safeguard.
  ///
  /// - Parameters:
  ///   - bracket: `[a, b]` with `f(a)` and `f(b)` of opposite sign.
  ///   - start: the first Newton iterate; by default the end with the smaller `|f|`.
  ///   - xTolerance: relative bracket width at which to stop.
  ///   - fTolerance: stop as soon as `|f(x)| <= fTolerance` at an evaluated point.
  ///   - maxIterations: evaluations of `f` allowed after the two ends (`start` included).
  ///   - f: returns `(f(x), f'(x))`.
  /// - Returns: a ``RootResult``; see ``SafeguardedNewton`` for the guarantee.
  /// - Complexity: O(log log(1/xTolerance)) evaluations for well-behaved `f`,
  ///   O(log((b − a)/tolerance)) in the worst case.
  public static func solve(
    in bracket: ClosedRange<Double>, start: Double? = nil, xTolerance: Double = 1e-14,
    fTolerance: Double = 0, maxIterations: Int = 100,
    _ f: (Double) -> (value: Double, derivative: Double)
  ) -> RootResult {
    if let why = rootInputProblem(
      bracket, xTolerance: xTolerance, fTolerance: fTolerance, maxIterations: maxIterations)
    {
      return .invalid(why)
    }
    if let start, !start.isFinite { return .invalid("start \(start) is not finite") }
    var a = bracket.lowerBound
    var b = bracket.upperBound
    let ea = f(a)
    if ea.value.isNaN || ea.derivative.isNaN { return .invalid("f(\(a)) is NaN") }
    if let done = endpointStop(a, ea.value, fTolerance: fTolerance) { return done }
    let eb = f(b)
    if eb.value.isNaN || eb.derivative.isNaN { return .invalid("f(\(b)) is NaN") }
    if let done = endpointStop(b, eb.value, fTolerance: fTolerance) { return done }
    var fa = ea.value
    var fb = eb.value
    if !oppositeSigns(fa, fb) { return .noSignChange(bracket, fa, fb) }
    var iterations = 0
    func finish(_ status: SolverStatus, _ reason: StopReason) -> RootResult {
      let (x, fx) = abs(fa) <= abs(fb) ? (a, fa) : (b, fb)
      return RootResult(
        status: status, root: x, value: fx, iterations: iterations, bracket: a...b,
        stopReason: reason)
    }
    // The current Newton base point and its value and derivative.
    var (x, fx, dfx) = abs(fa) <= abs(fb) ? (a, fa, ea.derivative) : (b, fb, eb.derivative)
    var pending: Double? = start.map { min(max($0, a), b) }
    var step = b - a
    var stepBeforeLast = b - a
    while true {
      let width = b - a
      let tolerance = xTolerance * max(abs(a), abs(b))
      if width <= tolerance { return finish(.converged, .xTolerance) }
      let mid = midpoint(a, b)
      if !(mid > a && mid < b) { return finish(.converged, .xTolerance) }
      if iterations >= maxIterations { return finish(.iterationLimit, .iterationLimit) }
      var next = mid
      if let s = pending, s > a, s < b {
        next = s
      } else if dfx.isFinite && dfx != 0 && fx.isFinite {
        var newton = -fx / dfx
        let minimum = xTolerance * abs(x) / 2
        if abs(newton) < minimum { newton = newton < 0 ? -minimum : minimum }
        let candidate = x + newton
        if candidate.isFinite && candidate > a && candidate < b
          && abs(newton) <= abs(stepBeforeLast) / 2
        {
          next = candidate
        }
      }
      pending = nil
      stepBeforeLast = step
      step = next - x
      iterations += 1
      let e = f(next)
      if e.value.isNaN || e.derivative.isNaN {
        return .invalid("f(\(next)) is NaN", iterations: iterations)
      }
      if e.value == 0 || abs(e.value) <= fTolerance {
        return RootResult(
          status: .converged, root: next, value: e.value, iterations: iterations,
          bracket: e.value == 0
            ? next...next : (oppositeSigns(fa, e.value) ? a...next : next...b),
          stopReason: e.value == 0 ? .exactZero : .fTolerance)
      }
      if oppositeSigns(fa, e.value) {
        b = next
        fb = e.value
      } else {
        a = next
        fa = e.value
      }
      (x, fx, dfx) = (next, e.value, e.derivative)
    }
  }
}
