import FEEL

/// An answer was printed but its certificate did not verify: `feel` and `feel-verify` exit with status 3
/// and this one line on standard error (exit statuses: 0 certified, 2 invalid input, 3 solved
/// but not certified).
package struct UncertifiedAnswer: Error, CustomStringConvertible {
  /// What failed, in one line.
  package var message: String

  /// The error with `message`.
  package init(message: String) {
    self.message = message
  }

  package var description: String { message }

  /// Throws when `status` is not certified, with `context` (for example `round 3`) in
  /// front of the reason.
  package static func check(_ status: SolutionStatus, context: String? = nil) throws {
    guard let failure = status.failure else { return }
    throw UncertifiedAnswer(message: (context.map { "\($0): " } ?? "") + failure)
  }

  /// Throws when any of `statuses` is not certified: the count and the first failure.
  package static func check(_ statuses: [SolutionStatus], item: (Int) -> String) throws {
    let failed = statuses.indices.filter { !statuses[$0].isCertified }
    guard let first = failed.first, let failure = statuses[first].failure else { return }
    throw UncertifiedAnswer(
      message: "\(failed.count) of \(statuses.count) answers not certified; first, \(item(first)): "
        + failure)
  }
}
