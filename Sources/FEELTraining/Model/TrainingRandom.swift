import Foundation

/// The repeatable random source of training: SplitMix64 bits (Steele, Lea and Flood, OOPSLA
/// 2014) mapped to numbers by hand, so that the same seed gives the same run on every
/// toolchain (the standard library's `random(in:using:)` and `shuffled(using:)` may change
/// their algorithms).
package struct TrainingRandom: Sendable {
  /// The whole state of the generator (a checkpoint saves it; ``init(state:)`` restores it).
  package private(set) var state: UInt64

  /// A generator that yields the same sequence for the same `seed`.
  package init(seed: UInt64) {
    state = seed
  }

  /// The generator whose ``state`` is `state`: it continues the sequence of the one saved.
  package init(state: UInt64) {
    self.state = state
  }

  /// The next 64 random bits.
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1): the top 53 bits times 2⁻⁵³.
  package mutating func unit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform integer in `0 ..< n` (Lemire's multiply-shift with rejection, so exactly
  /// uniform).
  ///
  /// - Precondition: `n > 0`.
  package mutating func below(_ n: Int) -> Int {
    precondition(n > 0, "TrainingRandom.below: n must be positive")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return Int(product.high)
  }

  /// A standard normal variate (Box–Muller from two ``unit()`` draws).
  package mutating func normal() -> Double {
    let u1 = 1 - unit()  // in (0, 1]
    let u2 = unit()
    return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
  }

  /// Shuffles `a` in place (Fisher–Yates, from the end, with ``below(_:)``).
  package mutating func shuffle<T>(_ a: inout [T]) {
    var i = a.count - 1
    while i > 0 {
      let j = below(i + 1)
      if i != j { a.swapAt(i, j) }
      i -= 1
    }
  }
}
