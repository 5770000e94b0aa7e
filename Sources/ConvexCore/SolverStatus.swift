/// How a ConvexCore solver stopped.
///
/// Every solver in ConvexCore reports one of these outcomes instead of trapping.
/// Mathematical outcomes (an iteration limit, an infeasible instance) are statuses;
/// malformed input (NaN, infinities, empty brackets, inconsistent lengths) is
/// ``invalidInput(_:)`` with a message naming the offending argument.
public enum SolverStatus: Equatable, Sendable, CustomStringConvertible {
  /// The stopping test of the solver was met; its documented guarantee holds.
  case converged
  /// The iteration budget ran out before the stopping test was met; the returned
  /// point is the best one found and carries no guarantee beyond feasibility.
  case iterationLimit
  /// The instance has no feasible point (for example, a sum constraint outside the
  /// sum of the box bounds, or a bracket without a sign change).
  case infeasible(String)
  /// An input was not finite, out of range or of inconsistent length.
  case invalidInput(String)

  /// `true` exactly for ``converged``.
  public var isConverged: Bool {
    if case .converged = self { return true }
    return false
  }

  /// A one-line human-readable form, for example `invalid input: q[3] = 0 must be > 0`.
  public var description: String {
    switch self {
    case .converged: return "converged"
    case .iterationLimit: return "iteration limit"
    case .infeasible(let why): return "infeasible: \(why)"
    case .invalidInput(let why): return "invalid input: \(why)"
    }
  }
}
