/// A scenario value that cannot be used, with the field that holds it.
///
/// Every check made when a ``Scenario`` is built (from JSON or in code) reports the
/// offending field by its path in the scenario file (for example `devices[3].cpuHz`),
/// the value found and what was expected. Nothing is clamped or defaulted silently.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Path of the offending field, as in the scenario file (`devices[2].gpu.thresholdBatch`).
  public let field: String
  /// What is wrong, with the value found.
  public let reason: String

  /// Creates an error for `field`.
  public init(field: String, reason: String) {
    self.field = field
    self.reason = reason
  }

  /// One line: `field: reason`.
  public var description: String { "\(field): \(reason)" }
}

/// A request that the scenario cannot satisfy (for example a global batch outside
/// what the devices can hold), reported with the option or field that made it.
public struct InfeasibleRequest: Error, Equatable, Sendable, CustomStringConvertible {
  /// The parameter or field that made the request (`globalBatch`; the command line
  /// reports it as its flag, `--global-batch`).
  public let field: String
  /// Why it cannot be met, with the admissible range.
  public let reason: String

  /// Creates an error for `field`.
  public init(field: String, reason: String) {
    self.field = field
    self.reason = reason
  }

  /// One line: `field: reason`.
  public var description: String { "\(field): \(reason)" }
}

/// Checks shared by every numeric field. The field name is an autoclosure: it is built
/// only when the check fails (per-device names would otherwise cost a string per check).
enum Check {
  static func format(_ x: Double) -> String {
    x.isNaN ? "NaN" : "\(x)"
  }

  /// A finite value > 0.
  static func positive(_ x: Double, _ field: @autoclosure () -> String) throws -> Double {
    guard x.isFinite, x > 0 else {
      throw ScenarioError(field: field(), reason: "must be a finite number > 0 (got \(format(x)))")
    }
    return x
  }

  /// A finite value ≥ 0.
  static func nonNegative(_ x: Double, _ field: @autoclosure () -> String) throws -> Double {
    guard x.isFinite, x >= 0 else {
      throw ScenarioError(field: field(), reason: "must be a finite number >= 0 (got \(format(x)))")
    }
    return x
  }

  /// A finite value.
  static func finite(_ x: Double, _ field: @autoclosure () -> String) throws -> Double {
    guard x.isFinite else {
      throw ScenarioError(field: field(), reason: "must be a finite number (got \(format(x)))")
    }
    return x
  }
}
