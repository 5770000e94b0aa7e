import Foundation

/// A small, fast, repeatable random number generator (SplitMix64; Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014), with its own mapping
/// from random bits to numbers.
///
/// Everything random in the packages built on ConvexCore (device positions of a generated
/// scenario, the random-batch baseline, per-round fading, training, the test suites) draws
/// from a `SplitMix64` with an explicit seed, so every result can be reproduced.
///
/// The bits → number mappings (`uniform(_:)`, `int(in:)`, ``below(_:)``, ``bool()``,
/// ``shuffle(_:)``) are written here rather than taken from the standard library's `Double.random(in:using:)`
/// and `Int.random(in:using:)`, whose algorithms the standard library documents as subject
/// to change: a seed fixes the output on every toolchain. They reproduce, bit for bit, what
/// the standard library of Swift 5.0–6.x returns for the same generator (53 random bits
/// scaled by 2⁻⁵³; Lemire's multiply-high with rejection for bounded integers; the same
/// coin and shuffle order), so
/// sequences drawn before the mapping moved here are unchanged.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The whole state of the generator: a generator created with ``init(state:)`` from this
  /// value continues the same sequence.
  public private(set) var state: UInt64
  /// The seed this generator started from.
  public let seed: UInt64

  /// Creates a generator that yields the same sequence for the same `seed`.
  public init(seed: UInt64) {
    self.seed = seed
    self.state = seed
  }

  /// Creates a generator that continues the sequence of the one whose ``state`` was
  /// `state` (its ``seed`` reads `state`).
  public init(state: UInt64) {
    self.init(seed: state)
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0 ..< bound`: the high word of a 64 × 64-bit product, with
  /// rejection of the few low words that would bias it (Lemire, "Fast random integer
  /// generation in an interval", ACM TOMACS 2019), so exactly uniform. Expected draws: < 2.
  ///
  /// - Precondition: `bound > 0`.
  public mutating func below(_ bound: UInt64) -> UInt64 {
    precondition(bound > 0, "SplitMix64.below: bound must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  /// A uniform integer in `range` (each value equally likely).
  ///
  /// - Precondition: `range` is not empty.
  public mutating func int(in range: Range<Int>) -> Int {
    precondition(!range.isEmpty, "SplitMix64.int(in:): empty range")
    let width = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound)
    return Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: range.lowerBound) &+ below(width))
  }

  /// A uniform integer in `range` (each value equally likely).
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    let span = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound)
    if span == .max { return Int(truncatingIfNeeded: next()) }
    return Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: range.lowerBound) &+ below(span + 1))
  }

  /// A uniform double in `range`: `lowerBound + (upperBound − lowerBound)·j·2⁻⁵³` with `j`
  /// uniform in `0 … 2⁵³` (`j = 2⁵³` returns `upperBound` itself).
  ///
  /// - Precondition: both ends finite, `lowerBound ≤ upperBound`, and their difference finite.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    let delta = range.upperBound - range.lowerBound
    precondition(delta.isFinite, "SplitMix64.uniform: the range must be finite")
    let j = below((1 << 53) + 1)
    if j == 1 << 53 { return range.upperBound }
    return delta * (Double(j) * 0x1p-53) + range.lowerBound
  }

  /// A uniform double in `range`: `lowerBound + (upperBound − lowerBound)·j·2⁻⁵³` with `j`
  /// the low 53 bits of ``next()``, drawn again in the rare case that rounding lands on
  /// `upperBound`.
  ///
  /// - Precondition: `range` is not empty, and its ends and their difference are finite.
  public mutating func uniform(_ range: Range<Double>) -> Double {
    precondition(!range.isEmpty, "SplitMix64.uniform: empty range")
    let delta = range.upperBound - range.lowerBound
    precondition(delta.isFinite, "SplitMix64.uniform: the range must be finite")
    while true {
      let j = next() & ((1 << 53) - 1)
      let x = delta * (Double(j) * 0x1p-53) + range.lowerBound
      if x != range.upperBound { return x }
    }
  }

  /// A fair coin: bit 17 of ``next()`` clear.
  public mutating func bool() -> Bool {
    (next() >> 17) & 1 == 0
  }

  /// Shuffles `elements` in place, each order equally likely (Fisher–Yates from the front:
  /// position `i` swaps with a uniform one of `i ..< count`).
  public mutating func shuffle<Element>(_ elements: inout [Element]) {
    guard elements.count > 1 else { return }
    for i in 0..<(elements.count - 1) {
      let j = i + int(in: 0..<(elements.count - i))
      elements.swapAt(i, j)
    }
  }

  /// A log-uniform double in `range` (both ends > 0): every decade equally likely.
  public mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
    let lo = Foundation.log(range.lowerBound)
    let hi = Foundation.log(range.upperBound)
    return Foundation.exp(uniform(lo...hi))
  }

  /// A standard exponential variate (unit mean), e.g. a Rayleigh power gain |h|².
  public mutating func exponential() -> Double {
    -Foundation.log1p(-uniform(0..<1))
  }
}
