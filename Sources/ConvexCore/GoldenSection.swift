// Numerical priorities: (1) the returned point is one that was evaluated and has the
// smallest value seen (ends included), (2) then accuracy: the bracket shrinks until a
// relative width or floating-point resolution, (3) then speed: one evaluation per step.

/// The outcome of a scalar minimizer (``GoldenSection``).
///
/// On `.converged` and `.iterationLimit`, `x` is the evaluated point with the smallest
/// value and `value = f(x)`; on `.invalidInput`, both are NaN unless a point was evaluated.
public struct ScalarMinimum: Sendable {
  /// The outcome.
  public var status: SolverStatus
  /// The best point evaluated.
  public var x: Double
  /// `f(x)`.
  public var value: Double
  /// Evaluations of `f`, the two ends included (across ConvexCore, `evaluations` counts
  /// calls of the caller's function and `iterations` the steps of a method's main loop).
  public var evaluations: Int

  /// Creates a result; the solver fills every field.
  public init(status: SolverStatus, x: Double, value: Double, evaluations: Int) {
    self.status = status
    self.x = x
    self.value = value
    self.evaluations = evaluations
  }
}

/// Golden-section search for the minimum of a unimodal function.
///
/// **Problem.** `minimize f(x)` over `[a, b]` for `f` unimodal (nonincreasing then
/// nondecreasing; e.g. quasi-convex).
///
/// **Method.** Keep `a < x₁ < x₂ < b` with `x₁, x₂` at the golden ratio points; drop the
/// part beyond the worse interior point; one new evaluation per step. The two ends are
/// evaluated too, so a minimum at an end is returned exactly.
///
/// **Preconditions.** `a`, `b` and `b − a` finite; `tolerance` finite and `> 0`; `maxIterations >= 0`.
/// `f` may return `+∞`; a NaN from `f` gives `.invalidInput`.
///
/// **Guarantee.** On `.converged`, the final bracket has width
/// `<= tolerance·max(|a|, |b|)` or `<= tolerance²·(b₀ − a₀)` (or can no longer be split in
/// floating point), and for unimodal `f` it contains a minimizer, so `|x − x*|` is at most
/// that width; `value = f(x)` is the smallest value evaluated. For non-unimodal `f` the
/// result is a point no worse than any evaluated point.
///
/// **Complexity.** At most `4 + ⌈log_φ((b − a)/width)⌉` evaluations of `f` (φ ≈ 1.618): the
/// two ends, the two interior points, then one per shrink step; and at most
/// `4 + maxIterations`. O(1) memory.
///
/// **Reference.** J. Kiefer, "Sequential minimax search for a maximum", *Proc. Amer. Math.
/// Soc.* 4 (1953) 502–506.
public enum GoldenSection {
  /// Minimizes a unimodal `f` on `interval`; see ``GoldenSection``.
  ///
  /// - Parameters:
  ///   - interval: `[a, b]`.
  ///   - tolerance: relative width of the final bracket.
  ///   - maxIterations: shrink steps allowed (one evaluation each) after the first four
  ///     evaluations.
  ///   - f: the function.
  /// - Returns: a ``ScalarMinimum``.
  /// - Complexity: O(log(1/tolerance)) evaluations of `f`.
  public static func minimize(
    in interval: ClosedRange<Double>, tolerance: Double = 1e-10, maxIterations: Int = 300,
    _ f: (Double) -> Double
  ) -> ScalarMinimum {
    var a = interval.lowerBound
    var b = interval.upperBound
    if !a.isFinite || !b.isFinite {
      return ScalarMinimum(
        status: .invalidInput("interval \(interval) is not finite"), x: .nan, value: .nan,
        evaluations: 0)
    }
    if !(b - a).isFinite {
      return ScalarMinimum(
        status: .invalidInput("interval \(interval) is too wide (b − a overflows)"), x: .nan,
        value: .nan, evaluations: 0)
    }
    if !(tolerance.isFinite && tolerance > 0) || maxIterations < 0 {
      return ScalarMinimum(
        status: .invalidInput("tolerance must be > 0 and maxIterations >= 0"), x: .nan,
        value: .nan, evaluations: 0)
    }
    var evaluations = 0
    var bestX = Double.nan
    var bestValue = Double.infinity
    // Evaluates f, tracks the best point; nil on NaN.
    func eval(_ x: Double) -> Double? {
      evaluations += 1
      let v = f(x)
      if v.isNaN { return nil }
      if bestX.isNaN || v < bestValue { (bestX, bestValue) = (x, v) }
      return v
    }
    func nanAt(_ x: Double) -> ScalarMinimum {
      ScalarMinimum(
        status: .invalidInput("f(\(x)) is NaN"), x: bestX, value: bestX.isNaN ? .nan : bestValue,
        evaluations: evaluations)
    }
    guard eval(a) != nil else { return nanAt(a) }
    guard eval(b) != nil else { return nanAt(b) }
    let invPhi = 0.618_033_988_749_894_8  // (√5 − 1)/2
    let floorWidth = tolerance * tolerance * (b - a)
    var x1 = b - invPhi * (b - a)
    var x2 = a + invPhi * (b - a)
    guard var f1 = eval(x1) else { return nanAt(x1) }
    guard var f2 = eval(x2) else { return nanAt(x2) }
    var steps = 0
    var status = SolverStatus.converged
    while true {
      let width = b - a
      if width <= tolerance * max(abs(a), abs(b)) || width <= floorWidth { break }
      if !(a < x1 && x1 < x2 && x2 < b) { break }
      if steps >= maxIterations {
        status = .iterationLimit
        break
      }
      steps += 1
      if f1 <= f2 {
        b = x2
        x2 = x1
        f2 = f1
        x1 = b - invPhi * (b - a)
        guard let v = eval(x1) else { return nanAt(x1) }
        f1 = v
      } else {
        a = x1
        x1 = x2
        f1 = f2
        x2 = a + invPhi * (b - a)
        guard let v = eval(x2) else { return nanAt(x2) }
        f2 = v
      }
    }
    return ScalarMinimum(status: status, x: bestX, value: bestValue, evaluations: evaluations)
  }
}
