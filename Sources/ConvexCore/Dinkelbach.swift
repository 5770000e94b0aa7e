// Numerical priorities: (1) the returned point is one the caller's oracle produced (so it
// is feasible) and its ratio is the best seen, (2) then accuracy: the stopping test is the
// parametric value F(λ), a certificate a caller can check, (3) then speed (superlinear).

/// One step of ``Dinkelbach``: the parameter λ and `F(λ) = max_x N(x) − λ·D(x)`.
public struct DinkelbachStep: Sendable {
  /// The ratio at the previous iterate.
  public var lambda: Double
  /// `F(λ) = N(x⁺) − λ·D(x⁺)` at the oracle's maximizer `x⁺`.
  public var parametricValue: Double

  /// Creates a step record.
  public init(lambda: Double, parametricValue: Double) {
    self.lambda = lambda
    self.parametricValue = parametricValue
  }
}

/// The outcome of ``Dinkelbach``.
///
/// On `.converged`, `ratio = N(maximizer)/D(maximizer)` and `certificate = F(λ)` at the
/// last λ; for every feasible `y`, `N(y)/D(y) <= λ + certificate/D(y)`, where λ (the
/// last `trace` entry's `lambda`) is `<= ratio` up to rounding.
public struct DinkelbachResult<Point: Sendable>: Sendable {
  /// The outcome.
  public var status: SolverStatus
  /// `N(maximizer)/D(maximizer)`; NaN on `.invalidInput` before any valid point.
  public var ratio: Double
  /// The best point found (the start when nothing better was found).
  public var maximizer: Point
  /// λ and F(λ) per iteration.
  public var trace: [DinkelbachStep]
  /// `F(λ*)`, ≈ 0 on convergence; `+∞` when no parametric step was taken.
  public var certificate: Double
  /// Parametric steps taken, one call of the parametric oracle each.
  public var iterations: Int

  /// Creates a result; the solver fills every field.
  public init(
    status: SolverStatus, ratio: Double, maximizer: Point, trace: [DinkelbachStep],
    certificate: Double, iterations: Int
  ) {
    self.status = status
    self.ratio = ratio
    self.maximizer = maximizer
    self.trace = trace
    self.certificate = certificate
    self.iterations = iterations
  }
}

/// Dinkelbach's parametric method for fractional programs.
///
/// **Problem.** `maximize N(x)/D(x)` over a feasible set `X`, with `N >= 0` concave and
/// `D > 0` convex on `X` (so the ratio is quasi-concave and `F(λ) = max_X N − λ·D` is
/// convex, decreasing, with its unique root at the optimal ratio).
///
/// **Method.** `λ_0 = N(start)/D(start)`; repeat `x_{i+1} = parametric(λ_i)`,
/// `F_i = N(x_{i+1}) − λ_i·D(x_{i+1})`, `λ_{i+1} = N(x_{i+1})/D(x_{i+1})`, until
/// `F_i <= tolerance·max(1, |N(x_{i+1})|)`. This is Newton's method on `F(λ) = 0`.
///
/// **Preconditions.** `tolerance` finite and `>= 0`; `maxIterations >= 1`; `start`
/// feasible; `parametric(λ)` returns an exact (or accurate) maximizer of `N − λ·D` over
/// `X`; `ratio` returns finite `N` and `D > 0` at every point it is given (otherwise
/// `.invalidInput`, reporting the point's index in the iteration).
///
/// **Guarantee.** On `.converged`, `maximizer` is `start` or an oracle point, `ratio` is
/// its ratio, and `N(y)/D(y) <= ratio + certificate/D(y)` for every feasible `y`, with
/// `certificate <= tolerance·max(1, |N|)`. The ratios `λ_i` increase strictly until then;
/// if rounding stops them from increasing before the test is met, the result is
/// `.iterationLimit` with the best point and its certificate.
///
/// **Complexity.** Superlinear convergence: typically 3–6 oracle calls; at most
/// `maxIterations`.
///
/// **Reference.** W. Dinkelbach, "On nonlinear fractional programming", *Management
/// Science* 13(7) (1967) 492–498; S. Schaible, "Fractional programming II: on Dinkelbach's
/// algorithm", *Management Science* 22(8) (1976).
public enum Dinkelbach {
  /// Maximizes `N(x)/D(x)`; see ``Dinkelbach``.
  ///
  /// - Parameters:
  ///   - start: a feasible point.
  ///   - tolerance: relative tolerance on `F(λ)`.
  ///   - maxIterations: calls of `parametric` allowed.
  ///   - ratio: `(N(x), D(x))`.
  ///   - parametric: a maximizer of `N(x) − λ·D(x)` over the feasible set.
  /// - Returns: a ``DinkelbachResult``.
  /// - Complexity: at most `maxIterations` calls of each closure (plus one of `ratio`).
  public static func maximize<Point: Sendable>(
    start: Point, tolerance: Double = 1e-14, maxIterations: Int = 100,
    ratio: (Point) -> (numerator: Double, denominator: Double),
    parametric: (Double) -> Point
  ) -> DinkelbachResult<Point> {
    func fail(_ why: String, _ trace: [DinkelbachStep] = []) -> DinkelbachResult<Point> {
      DinkelbachResult(
        status: .invalidInput(why), ratio: .nan, maximizer: start, trace: trace,
        certificate: .nan, iterations: trace.count)
    }
    if !(tolerance.isFinite && tolerance >= 0) { return fail("tolerance must be >= 0") }
    if maxIterations < 1 { return fail("maxIterations must be >= 1") }
    let first = ratio(start)
    if !first.numerator.isFinite || !first.denominator.isFinite || !(first.denominator > 0) {
      return fail("ratio(start) = \(first): need finite N and D > 0")
    }
    var best = start
    var lambda = first.numerator / first.denominator
    var trace: [DinkelbachStep] = []
    var certificate = Double.infinity
    while trace.count < maxIterations {
      let candidate = parametric(lambda)
      let value = ratio(candidate)
      if !value.numerator.isFinite || !value.denominator.isFinite || !(value.denominator > 0) {
        var result = fail(
          "ratio at iterate \(trace.count + 1) = \(value): need finite N and D > 0", trace)
        result.maximizer = best
        result.ratio = lambda
        return result
      }
      let parametricValue = value.numerator - lambda * value.denominator
      if !parametricValue.isFinite { return fail("F(\(lambda)) is not finite", trace) }
      trace.append(DinkelbachStep(lambda: lambda, parametricValue: parametricValue))
      certificate = parametricValue
      let next = value.numerator / value.denominator
      let improved = next > lambda
      if improved {
        best = candidate
        lambda = next
      }
      if parametricValue <= tolerance * max(1, abs(value.numerator)) {
        return DinkelbachResult(
          status: .converged, ratio: lambda, maximizer: best, trace: trace,
          certificate: certificate, iterations: trace.count)
      }
      if !improved { break }  // stalled in rounding: report the budget as exhausted
    }
    return DinkelbachResult(
      status: .iterationLimit, ratio: lambda, maximizer: best, trace: trace,
      certificate: certificate, iterations: trace.count)
  }
}
