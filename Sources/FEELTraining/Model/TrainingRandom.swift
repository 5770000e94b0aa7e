import ConvexCore
import Foundation

/// The repeatable random source of training: ``SplitMix64`` bits (Steele, Lea and Flood, OOPSLA
/// 2014) mapped to numbers by hand, so that the same seed gives the same run on every
/// toolchain (the standard library's `random(in:using:)` and `shuffled(using:)` may change
/// their algorithms).
package struct TrainingRandom: Sendable {
  /// The bits: ConvexCore's ``SplitMix64``.
  private var bits: SplitMix64

  /// The whole state of the generator (a checkpoint saves it; ``init(state:)`` restores it).
  package var state: UInt64 { bits.state }

  /// A generator that yields the same sequence for the same `seed`.
  package init(seed: UInt64) {
    bits = SplitMix64(seed: seed)
  }

  /// The generator whose ``state`` is `state`: it continues the sequence of the one saved.
  package init(state: UInt64) {
    bits = SplitMix64(state: state)
  }

  /// The next 64 random bits.
  package mutating func next() -> UInt64 {
    bits.next()
  }

  /// A uniform double in [0, 1): the top 53 bits times 2⁻⁵³.
  package mutating func unit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform integer in `0 ..< n` (``SplitMix64/below(_:)``: Lemire's multiply-shift with
  /// rejection, so exactly uniform).
  ///
  /// - Precondition: `n > 0`.
  package mutating func below(_ n: Int) -> Int {
    precondition(n > 0, "TrainingRandom.below: n must be positive")
    return Int(bits.below(UInt64(n)))
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
