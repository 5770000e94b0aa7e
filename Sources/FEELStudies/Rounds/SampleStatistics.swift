import FEEL
import Foundation

/// Mean, standard deviation, minimum and maximum of a sample.
public struct SampleStatistics: Sendable, Equatable {
  /// Arithmetic mean.
  public let mean: Double
  /// Sample standard deviation (divisor n − 1; 0 for a single value).
  public let standardDeviation: Double
  /// Smallest value.
  public let minimum: Double
  /// Largest value.
  public let maximum: Double

  /// The statistics of `values` (NaN everywhere for an empty sample).
  ///
  /// Two passes (mean, then squared deviations) for accuracy.
  /// - Complexity: O(n).
  public init(_ values: [Double]) {
    guard let first = values.first else {
      self.init(mean: .nan, standardDeviation: .nan, minimum: .nan, maximum: .nan)
      return
    }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    var ss = 0.0
    var lo = first
    var hi = first
    for v in values {
      ss += (v - mean) * (v - mean)
      if v < lo || v.isNaN { lo = v }
      if v > hi || v.isNaN { hi = v }
    }
    self.init(
      mean: mean, standardDeviation: values.count > 1 ? (ss / (n - 1)).squareRoot() : 0,
      minimum: lo, maximum: hi)
  }

  /// Creates statistics from their values.
  package init(mean: Double, standardDeviation: Double, minimum: Double, maximum: Double) {
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.minimum = minimum
    self.maximum = maximum
  }

  /// `{"mean", "std", "min", "max"}`.
  package var jsonValue: JSONValue {
    .object([
      ("mean", .number(mean)), ("std", .number(standardDeviation)), ("min", .number(minimum)),
      ("max", .number(maximum)),
    ])
  }
}
