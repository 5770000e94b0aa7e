import ConvexCore

/// What is proven about a ``Solution``: certified, or why not.
///
/// The status is derived from two things only: how the numerical searches of the solve
/// stopped (ConvexCore's `SolverStatus`) and whether the answer's certificate verifies
/// when recomputed from the allocation without the solver (``Verifier``, or
/// ``IntegerBatches/certify(_:data:tolerance:)`` for integer batches). A caller that
/// needs a proven answer checks ``isCertified``; the command line exits 0 exactly then,
/// and 3 when an answer was produced without a verified certificate.
///
/// The tolerances are in ``FEELSolver/Settings``.
public enum SolutionStatus: Sendable, Equatable, CustomStringConvertible {
  /// The certificate verifies: the allocation is feasible and its proven bound is within
  /// ``FEELSolver/Settings/certificateTolerance`` (relative) of what it attains, so it is optimal to that
  /// tolerance.
  case certified
  /// The answer's own certificate verifies, and the best bound on every policy of the
  /// wider problem lies within the given relative gap (larger than the certificate
  /// tolerance). Used for integer batch sizes: the integer allocation is proven optimal
  /// among integer allocations (exchange optimality), and the continuous optimum, an
  /// upper bound on every integer one, is this far above it.
  case certifiedWithinGap(Double)
  /// An answer was produced but its certificate does not verify; the reason says which
  /// check failed, with its numbers.
  case notCertified(reason: String)
  /// A search ran out of its iteration budget before its stopping test was met, and the
  /// certificate does not verify either.
  case iterationLimit
  /// A non-finite number (NaN, ±∞) appeared where the answer or its certificate needs a
  /// finite one.
  case numericalTrouble(String)

  /// `true` for ``certified`` and ``certifiedWithinGap(_:)``.
  public var isCertified: Bool {
    switch self {
    case .certified, .certifiedWithinGap: return true
    default: return false
    }
  }

  /// The name used in JSON output (`"status"`): `certified`, `certifiedWithinGap`,
  /// `notCertified`, `iterationLimit` or `numericalTrouble`.
  public var name: String {
    switch self {
    case .certified: return "certified"
    case .certifiedWithinGap: return "certifiedWithinGap"
    case .notCertified: return "notCertified"
    case .iterationLimit: return "iterationLimit"
    case .numericalTrouble: return "numericalTrouble"
    }
  }

  /// What failed, in one line (`nil` when certified).
  public var failure: String? {
    switch self {
    case .certified, .certifiedWithinGap: return nil
    case .notCertified(let reason): return "not certified: \(reason)"
    case .iterationLimit: return "iteration limit reached and the certificate does not verify"
    case .numericalTrouble(let what): return "numerical trouble: \(what)"
    }
  }

  /// One line: `certified`, `certified within relative gap g of the bound`, or what failed.
  public var description: String {
    switch self {
    case .certified: return "certified"
    case .certifiedWithinGap(let gap): return "certified within relative gap \(gap) of the bound"
    default: return failure ?? name
    }
  }

  /// The keys every `--json` answer of `feel` carries: `"status"` (``name``),
  /// `"certified"` (``isCertified``) and `"statusDetail"` (``description``).
  package var jsonFields: [(String, JSONValue)] {
    [
      ("status", .string(name)), ("certified", .bool(isCertified)),
      ("statusDetail", .string(description)),
    ]
  }

  /// The status of an answer from its verification and the outcomes of the searches
  /// that produced it.
  ///
  /// - A report that passes gives ``certified`` whatever the searches said (the
  ///   certificate is checked independently of them).
  /// - Otherwise: a non-finite primal, bound or violation gives ``numericalTrouble(_:)``;
  ///   a search that hit its iteration limit gives ``iterationLimit``; a search that stopped
  ///   on invalid input (a NaN) gives ``numericalTrouble(_:)``; anything else
  ///   ``notCertified(reason:)`` with the failed check.
  public init(verification report: VerificationReport, searches: [SolverStatus] = []) {
    if report.passed {
      self = .certified
      return
    }
    if !(report.primal.isFinite && report.bound.isFinite && report.feasibilityViolation.isFinite
      && report.relativeGap.isFinite)
    {
      self = .numericalTrouble(
        "non-finite certificate: primal \(report.primal), bound \(report.bound), "
          + "feasibility violation \(report.feasibilityViolation)")
      return
    }
    if searches.contains(.iterationLimit) {
      self = .iterationLimit
      return
    }
    if let failed = searches.first(where: {
      if case .invalidInput = $0 { return true }
      return false
    }) {
      // A search that met malformed numbers (a NaN value of its function): the numbers,
      // not the problem, are at fault.
      self = .numericalTrouble("a search stopped with \(failed)")
      return
    }
    if report.feasibilityViolation > report.tolerance {
      self = .notCertified(
        reason: "feasibility violation \(report.feasibilityViolation) > tolerance "
          + "\(report.tolerance)")
      return
    }
    self = .notCertified(
      reason: "relative gap \(report.relativeGap) between the allocation (\(report.primal)) and "
        + "its proven bound (\(report.bound)) > tolerance \(report.tolerance)")
  }
}
