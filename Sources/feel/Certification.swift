import FEEL
import Foundation

/// An answer was printed but its certificate did not verify: `feel` exits with status 3
/// and this one line on standard error (exit statuses: 0 certified, 2 invalid input, 3 solved
/// but not certified).
struct UncertifiedAnswer: Error, CustomStringConvertible {
  /// What failed, in one line.
  var message: String

  var description: String { message }

  /// Throws when `status` is not certified, with `context` (for example `round 3`) in
  /// front of the reason.
  static func check(_ status: SolutionStatus, context: String? = nil) throws {
    guard let failure = status.failure else { return }
    throw UncertifiedAnswer(message: (context.map { "\($0): " } ?? "") + failure)
  }

  /// Throws when any of `statuses` is not certified: the count and the first failure.
  static func check(_ statuses: [SolutionStatus], item: (Int) -> String) throws {
    let failed = statuses.indices.filter { !statuses[$0].isCertified }
    guard let first = failed.first, let failure = statuses[first].failure else { return }
    throw UncertifiedAnswer(
      message: "\(failed.count) of \(statuses.count) answers not certified; first, \(item(first)): "
        + failure)
  }
}

extension SolutionStatus {
  /// The status of several answers: certified (within the largest gap, if any) when every
  /// one is, otherwise the first failure.
  static func combined(_ statuses: [SolutionStatus]) -> SolutionStatus {
    var gap: Double?
    for s in statuses {
      switch s {
      case .certified: continue
      case .certifiedWithinGap(let g): gap = Swift.max(gap ?? g, g)
      default: return s
      }
    }
    return gap.map { .certifiedWithinGap($0) } ?? .certified
  }
}

extension JSONValue {
  /// An object with `pairs` appended (other values unchanged).
  func appending(_ pairs: [(String, JSONValue)]) -> JSONValue {
    guard case .object(let existing) = self else { return self }
    return .object(existing + pairs)
  }

  /// An object with `pairs` inserted at the front (other values unchanged).
  func prepending(_ pairs: [(String, JSONValue)]) -> JSONValue {
    guard case .object(let existing) = self else { return self }
    return .object(pairs + existing)
  }
}
