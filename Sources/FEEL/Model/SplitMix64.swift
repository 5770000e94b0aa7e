import Foundation

/// A small, fast, repeatable random number generator (SplitMix64; Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014).
///
/// Everything random in this package (device positions of the default scenario, the
/// random-batch baseline, per-round fading, the test suites) draws from a `SplitMix64`
/// with an explicit seed, so every result can be reproduced.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// The seed this generator started from.
  public let seed: UInt64

  /// Creates a generator that yields the same sequence for the same `seed`.
  public init(seed: UInt64) {
    self.seed = seed
    self.state = seed
  }

  /// The next 64 random bits.
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

  /// A log-uniform double in `range` (both ends > 0): every decade equally likely.
  public mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
    let lo = Foundation.log(range.lowerBound)
    let hi = Foundation.log(range.upperBound)
    return Foundation.exp(Double.random(in: lo...hi, using: &self))
  }

  /// A standard exponential variate (unit mean), e.g. a Rayleigh power gain |h|².
  public mutating func exponential() -> Double {
    -Foundation.log1p(-Double.random(in: 0..<1, using: &self))
  }
}
