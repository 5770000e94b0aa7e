// Numerical priorities: (1) every reported point is a projected (feasible) iterate and the
// reported value is its objective, (2) then honesty about accuracy: without a lower bound
// there is no stopping test, so the result is `.iterationLimit`, (3) then speed.

// `squareRoot()` lowers to the C `sqrt` in debug builds; importing the C library makes
// the linker pull in libm for executables that do not import Foundation.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The step-size rule of ``ProjectedSubgradient``.
public enum SubgradientStep: Sendable {
  /// `α_n = scale / (sqrt(n + 1)·|g_n|)`: a step of length `scale/sqrt(n + 1)`.
  case diminishing(scale: Double)
  /// Polyak's step `α_n = (f(x_n) − target)/|g_n|²`, `target` an estimate of the optimum.
  case polyak(target: Double)
}

/// The outcome of ``ProjectedSubgradient``.
///
/// `best` is the feasible iterate with the smallest objective, `history[n]` the best value
/// after `n + 1` evaluations, and `gap = bestValue − lowerBound` when a bound was given.
public struct SubgradientResult: Sendable {
  /// The outcome.
  public var status: SolverStatus
  /// The best (projected) iterate.
  public var best: [Double]
  /// `f(best)`; `+∞` when nothing was evaluated.
  public var bestValue: Double
  /// Evaluations of the objective (one per step; across ConvexCore, `evaluations` counts
  /// calls of the caller's function and `iterations` the steps of a method's main loop).
  public var evaluations: Int
  /// Best-so-far objective value after each evaluation.
  public var history: [Double]
  /// The lower bound on the optimum supplied by the caller.
  public var lowerBound: Double?
  /// `bestValue − lowerBound` when a bound was supplied.
  public var gap: Double?

  /// Creates a result; the solver fills every field.
  public init(
    status: SolverStatus, best: [Double], bestValue: Double, evaluations: Int,
    history: [Double], lowerBound: Double?, gap: Double?
  ) {
    self.status = status
    self.best = best
    self.bestValue = bestValue
    self.evaluations = evaluations
    self.history = history
    self.lowerBound = lowerBound
    self.gap = gap
  }
}

/// The projected subgradient method.
///
/// **Problem.** `minimize f(x)` over a closed convex set `X ⊂ ℝⁿ`, `f` convex, given a
/// subgradient oracle and the Euclidean projection onto `X`.
///
/// **Method.** `x_0 = P_X(start)`; `x_{n+1} = P_X(x_n − α_n·g_n)` with `g_n ∈ ∂f(x_n)` and
/// `α_n` from ``SubgradientStep``; keep the best iterate (the method is not monotone).
///
/// **Preconditions.** `start` finite; `scale > 0` or `target` finite; `maxIterations >=
/// 1`; `lowerBound` finite when given; `gapTolerance >= 0`. The oracle must return a
/// finite value and a finite subgradient of the same length as `x`, and `project` must
/// keep the length and return finite entries; otherwise `.invalidInput` (with the best
/// point so far).
///
/// **Guarantee.** `best` is a projected iterate and `bestValue = f(best)`. `.converged`
/// when `bestValue − lowerBound <= gapTolerance` (then `best` is `gapTolerance`-optimal),
/// when a zero subgradient is returned (then `best` minimizes `f` over `X`), or, with
/// the Polyak step, when `f(x_n) <= target`. Otherwise `.iterationLimit`. With
/// diminishing steps `min_n f(x_n) → f*`; with Polyak's step and `target = f*` the best
/// gap after `n` steps is `O(G·R/sqrt(n))` for `|g| <= G`, `|x_0 − x*| <= R`.
///
/// **Complexity.** `maxIterations` oracle and projection calls at most; O(n) memory
/// besides `history`.
///
/// **Reference.** B. T. Polyak, *Introduction to Optimization*, Optimization Software,
/// 1987, ch. 5.3; N. Z. Shor, *Minimization Methods for Non-Differentiable Functions*, 1985.
public enum ProjectedSubgradient {
  /// Minimizes a convex `f` over a convex set by projected subgradient steps; see
  /// ``ProjectedSubgradient``.
  ///
  /// - Parameters:
  ///   - start: the initial point (projected first).
  ///   - step: the step-size rule.
  ///   - maxIterations: oracle calls allowed.
  ///   - lowerBound: a certified lower bound on the optimum, enabling the gap test.
  ///   - gapTolerance: stop when `bestValue − lowerBound <= gapTolerance`.
  ///   - objective: `(f(x), g)` with `g ∈ ∂f(x)`.
  ///   - project: replaces `x` by its projection onto the feasible set.
  /// - Returns: a ``SubgradientResult``.
  /// - Complexity: O(maxIterations · n) plus the closures' cost.
  public static func minimize(
    start: [Double], step: SubgradientStep, maxIterations: Int = 10_000,
    lowerBound: Double? = nil, gapTolerance: Double = 0,
    objective: ([Double]) -> (value: Double, subgradient: [Double]),
    project: (inout [Double]) -> Void
  ) -> SubgradientResult {
    func result(
      _ status: SolverStatus, _ best: [Double], _ value: Double, _ n: Int, _ history: [Double]
    ) -> SubgradientResult {
      SubgradientResult(
        status: status, best: best, bestValue: value, evaluations: n, history: history,
        lowerBound: lowerBound, gap: lowerBound.map { value - $0 })
    }
    var problem: String? = nil
    switch step {
    case .diminishing(let scale) where !(scale.isFinite && scale > 0):
      problem = "diminishing scale \(scale) must be finite and > 0"
    case .polyak(let target) where !target.isFinite:
      problem = "Polyak target \(target) must be finite"
    default: break
    }
    if maxIterations < 1 { problem = "maxIterations must be >= 1" }
    if let lowerBound, !lowerBound.isFinite { problem = "lowerBound must be finite" }
    if !(gapTolerance.isFinite && gapTolerance >= 0) { problem = "gapTolerance must be >= 0" }
    if !start.allSatisfy(\.isFinite) { problem = "start is not finite" }
    if let problem { return result(.invalidInput(problem), start, .infinity, 0, []) }

    let dimension = start.count
    var x = start
    project(&x)
    var best = x
    var bestValue = Double.infinity
    var history: [Double] = []
    history.reserveCapacity(min(maxIterations, 100_000))
    for n in 0..<maxIterations {
      if x.count != dimension || !x.allSatisfy(\.isFinite) {
        return result(
          .invalidInput("projection returned a point of length \(x.count) or not finite"),
          best, bestValue, n, history)
      }
      let (value, g) = objective(x)
      if !value.isFinite || g.count != dimension || !g.allSatisfy(\.isFinite) {
        return result(
          .invalidInput(
            "objective at iterate \(n): value \(value), subgradient length "
              + "\(g.count) (need finite, length \(dimension))"), best, bestValue, n, history)
      }
      if value < bestValue {
        best = x
        bestValue = value
      }
      history.append(bestValue)
      if let lowerBound, bestValue - lowerBound <= gapTolerance {
        return result(.converged, best, bestValue, n + 1, history)
      }
      // |g| computed with scaling, so huge subgradients do not overflow to a zero step.
      let largest = g.reduce(0) { max($0, abs($1)) }
      if largest == 0 { return result(.converged, best, bestValue, n + 1, history) }
      let norm = largest * g.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }.squareRoot()
      let length: Double
      switch step {
      case .diminishing(let scale):
        length = scale / (Double(n) + 1).squareRoot()
      case .polyak(let target):
        if value <= target { return result(.converged, best, bestValue, n + 1, history) }
        length = (value - target) / norm
      }
      if !length.isFinite {
        return result(
          .invalidInput("step length overflowed at iterate \(n)"), best, bestValue, n + 1,
          history)
      }
      // x ← x − length·g/|g|.
      for i in 0..<dimension { x[i] -= length * (g[i] / norm) }
      project(&x)
    }
    return result(.iterationLimit, best, bestValue, maxIterations, history)
  }
}
