import Foundation

/// A small, fast, repeatable random number generator (SplitMix64) for the test suites.
///
/// Property tests in CI must be deterministic: every random instance comes from a
/// `SeededGenerator` whose seed is printed when a check fails, so that the failing case
/// can be replayed and kept as a named regression fixture.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// The seed this generator started from.
  public let seed: UInt64

  /// Creates a generator that yields the same sequence for the same `seed`.
  public init(seed: UInt64) {
    self.seed = seed
    self.state = seed
  }

  /// The next 64 random bits (SplitMix64, Steele, Lea and Flood 2014).
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    Double.random(in: range, using: &self)
  }

  /// A log-uniform double in `range` (both ends positive): every decade equally likely.
  public mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
    let lo = log(range.lowerBound)
    let hi = log(range.upperBound)
    return exp(Double.random(in: lo...hi, using: &self))
  }
}
