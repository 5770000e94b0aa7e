// Numerical priorities: (1) the returned bracket always contains a sign change of f (or an
// exact zero), (2) then accuracy: the bracket shrinks to the tolerance or to adjacent
// doubles, (3) then speed: one evaluation of f per iteration.

/// Bracketing root finder by bisection.
///
/// **Problem.** Find `x ∈ [a, b]` with `f(x) = 0`, for `f` continuous on `[a, b]` with
/// `f(a)·f(b) < 0`.
///
/// **Preconditions.** `a` and `b` finite; `xTolerance` and `fTolerance` finite and `>= 0`;
/// `maxIterations >= 0`. `f` may return `±∞` (used by its sign only); a NaN from `f`
/// stops the solver with `.invalidInput`.
///
/// **Guarantee.** On `.converged` the final `bracket` contains a sign change of `f` (or is
/// `root...root` with `f(root) == 0`) and either its width is `<= xTolerance` (absolute)
/// or its ends are adjacent doubles (`.xTolerance`), or `|f(root)| <= fTolerance`
/// (`.fTolerance`), or `f(root) == 0` (`.exactZero`). The returned `root` is the end of
/// the final bracket with the smaller `|f|`, so a true root lies within
/// `bracket.upperBound − bracket.lowerBound` of it. A bracket without a sign change gives
/// `.infeasible` with `stopReason == .noSignChange`; the solver never traps.
///
/// **Complexity.** `2 + ⌈log₂((b − a)/xTolerance)⌉` evaluations of `f` at most (and at
/// most `2 + maxIterations`); O(1) memory.
///
/// **Reference.** Bolzano's intermediate value theorem; e.g. R. P. Brent, *Algorithms for
/// Minimization without Derivatives*, Prentice-Hall 1973, ch. 4.
public enum Bisection {
  /// Finds a root of `f` in `bracket` by bisection, keeping a sign change.
  ///
  /// - Parameters:
  ///   - bracket: `[a, b]` with `f(a)` and `f(b)` of opposite sign.
  ///   - xTolerance: absolute width at which the bracket is small enough.
  ///   - fTolerance: stop as soon as `|f(x)| <= fTolerance` at an evaluated point.
  ///   - maxIterations: evaluations of `f` allowed after the two ends.
  ///   - f: the function; NaN results stop the solver with `.invalidInput`.
  /// - Returns: a ``RootResult``; see ``Bisection`` for the guarantee.
  /// - Complexity: O(log((b − a)/xTolerance)) evaluations of `f`.
  public static func solve(
    in bracket: ClosedRange<Double>, xTolerance: Double = 1e-12, fTolerance: Double = 0,
    maxIterations: Int = 200, _ f: (Double) -> Double
  ) -> RootResult {
    if let why = rootInputProblem(
      bracket, xTolerance: xTolerance, fTolerance: fTolerance, maxIterations: maxIterations)
    {
      return .invalid(why)
    }
    var a = bracket.lowerBound
    var b = bracket.upperBound
    var fa = f(a)
    if fa.isNaN { return .invalid("f(\(a)) is NaN") }
    if let done = endpointStop(a, fa, fTolerance: fTolerance) { return done }
    var fb = f(b)
    if fb.isNaN { return .invalid("f(\(b)) is NaN") }
    if let done = endpointStop(b, fb, fTolerance: fTolerance) { return done }
    if !oppositeSigns(fa, fb) { return .noSignChange(bracket, fa, fb) }
    var iterations = 0
    func finish(_ status: SolverStatus, _ reason: StopReason) -> RootResult {
      let (x, fx) = abs(fa) <= abs(fb) ? (a, fa) : (b, fb)
      return RootResult(
        status: status, root: x, value: fx, iterations: iterations, bracket: a...b,
        stopReason: reason)
    }
    while true {
      if b - a <= xTolerance { return finish(.converged, .xTolerance) }
      let mid = midpoint(a, b)
      if !(mid > a && mid < b) { return finish(.converged, .xTolerance) }
      if iterations >= maxIterations { return finish(.iterationLimit, .iterationLimit) }
      iterations += 1
      let fm = f(mid)
      if fm.isNaN { return .invalid("f(\(mid)) is NaN", iterations: iterations) }
      if fm == 0 || abs(fm) <= fTolerance {
        return RootResult(
          status: .converged, root: mid, value: fm, iterations: iterations,
          bracket: fm == 0 ? mid...mid : (oppositeSigns(fa, fm) ? a...mid : mid...b),
          stopReason: fm == 0 ? .exactZero : .fTolerance)
      }
      if oppositeSigns(fa, fm) {
        b = mid
        fb = fm
      } else {
        a = mid
        fa = fm
      }
    }
  }
}

/// The result when an end point already satisfies the f-stopping tests, else `nil`.
func endpointStop(_ x: Double, _ fx: Double, fTolerance: Double) -> RootResult? {
  if fx == 0 {
    return RootResult(
      status: .converged, root: x, value: fx, iterations: 0, bracket: x...x,
      stopReason: .exactZero)
  }
  if abs(fx) <= fTolerance {
    return RootResult(
      status: .converged, root: x, value: fx, iterations: 0, bracket: x...x,
      stopReason: .fTolerance)
  }
  return nil
}
