import FEEL
import Foundation

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
