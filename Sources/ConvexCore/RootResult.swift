/// Why a scalar root finder stopped.
///
/// ``RootResult/status`` says whether the documented guarantee holds; the stop reason
/// says which stopping test fired, so that a caller can tell an exact zero from a
/// bracket that shrank to the tolerance.
public enum StopReason: Sendable, Equatable {
  /// The final bracket is no wider than the requested `xTolerance` (or its two ends
  /// are adjacent floating-point numbers).
  case xTolerance
  /// `|f(root)| <= fTolerance`.
  case fTolerance
  /// `f(root) == 0` exactly.
  case exactZero
  /// The iteration budget ran out.
  case iterationLimit
  /// An argument or a value of `f` was not usable (NaN, infinite bracket, negative
  /// tolerance, …).
  case invalidInput
  /// `f` has the same strict sign at both ends of the bracket.
  case noSignChange
}

/// The outcome of a bracketing scalar root finder (``Bisection``, ``SafeguardedNewton``).
///
/// - `status == .converged`: `root` lies in `bracket` and `stopReason` is `.xTolerance`
///   (`bracket` contains a sign change and is narrower than the tolerance), `.exactZero`
///   (`f(root) == 0`, `bracket == root...root`) or `.fTolerance` (`|f(root)| <=
///   fTolerance`; `bracket` contains `root` but, when an end point already met the
///   test, need not contain a sign change).
/// - `status == .iterationLimit`: `bracket` still contains a sign change; `root` is its
///   end with the smaller `|f|`.
/// - `status == .infeasible`: the initial bracket has no sign change (`stopReason ==
///   .noSignChange`); `root` is the end with the smaller `|f|`.
/// - `status == .invalidInput`: `root` and `value` are NaN unless a point was evaluated.
public struct RootResult: Sendable {
  /// The outcome; see the type's documentation for what holds in each case.
  public var status: SolverStatus
  /// The returned approximation of the root; always inside the initial bracket when
  /// the input was valid.
  public var root: Double
  /// `f(root)`, as returned by the closure.
  public var value: Double
  /// Steps taken after the two end points, one evaluation of `f` each (so the evaluations
  /// are `iterations + 2`).
  public var iterations: Int
  /// The final bracket; it contains a sign change of `f` (or a zero) when the status is
  /// `.converged` or `.iterationLimit`.
  public var bracket: ClosedRange<Double>
  /// Which stopping test fired.
  public var stopReason: StopReason

  /// Creates a result; solvers fill every field.
  public init(
    status: SolverStatus, root: Double, value: Double, iterations: Int,
    bracket: ClosedRange<Double>, stopReason: StopReason
  ) {
    self.status = status
    self.root = root
    self.value = value
    self.iterations = iterations
    self.bracket = bracket
    self.stopReason = stopReason
  }

  /// A result for malformed input: NaN root and value, the bracket `0...0`.
  static func invalid(_ why: String, iterations: Int = 0) -> RootResult {
    RootResult(
      status: .invalidInput(why), root: .nan, value: .nan, iterations: iterations,
      bracket: 0...0, stopReason: .invalidInput)
  }

  /// The result for a bracket whose ends have the same sign: `.infeasible`, with the end
  /// of smaller |f| as `root`.
  static func noSignChange(
    _ bracket: ClosedRange<Double>, _ fa: Double, _ fb: Double
  ) -> RootResult {
    let (x, fx) = abs(fa) <= abs(fb) ? (bracket.lowerBound, fa) : (bracket.upperBound, fb)
    return RootResult(
      status: .infeasible("f has the same sign at both ends of \(bracket)"), root: x,
      value: fx, iterations: 0, bracket: bracket, stopReason: .noSignChange)
  }
}

/// Checks a bracket and tolerances shared by the root finders; `nil` when they are valid.
func rootInputProblem(
  _ bracket: ClosedRange<Double>, xTolerance: Double, fTolerance: Double, maxIterations: Int
) -> String? {
  if !bracket.lowerBound.isFinite || !bracket.upperBound.isFinite {
    return "bracket \(bracket) is not finite"
  }
  if !(xTolerance.isFinite && xTolerance >= 0) {
    return "xTolerance \(xTolerance) must be finite and >= 0"
  }
  if !(fTolerance.isFinite && fTolerance >= 0) {
    return "fTolerance \(fTolerance) must be finite and >= 0"
  }
  if maxIterations < 0 { return "maxIterations \(maxIterations) must be >= 0" }
  return nil
}
