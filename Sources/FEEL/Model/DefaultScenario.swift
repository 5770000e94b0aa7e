import ConvexCore
import Foundation

extension Scenario {
  /// The seed of the device positions of ``paperDefault``.
  public static let paperDefaultSeed: UInt64 = 2021

  /// The embedded default scenario: the paper's Table I with K = 12 CPU devices (four at
  /// 0.7 GHz, four at 1.4 GHz, four at 2.1 GHz; Section VI-B), placed uniformly in the
  /// 200 m cell by `SplitMix64` with seed ``paperDefaultSeed``, training DenseNet121
  /// (p = 8,062,504 parameters, b = 32 bits, so s = 258,000,128 bits).
  ///
  /// The paper leaves C, M^C and ξ unspecified. The values chosen here:
  /// - C = 3e8 cycles per sample: DenseNet121 on a 32×32 CIFAR-10 image costs about
  ///   0.9 GFLOP forward, about 2.7 GFLOP for forward plus backward; a mobile CPU core
  ///   retiring about 9 FLOP per cycle with SIMD gives 3e8 cycles.
  /// - M^C = 1.6e7 cycles: one SGD step touches every parameter once (a multiply-add
  ///   and a store), about 2 cycles per parameter.
  /// - ξ = 1: the efficiency is then in units of √sample per second; ξ scales E and
  ///   does not change the optimal policy.
  /// Devices nearer than 10 m to the base station are redrawn (the path-loss model of
  /// Table I is not meant for the near field).
  public static var paperDefault: Scenario {
    var rng = SplitMix64(seed: paperDefaultSeed)
    let frequencies: [Double] = [
      0.7e9, 0.7e9, 0.7e9, 0.7e9, 1.4e9, 1.4e9, 1.4e9, 1.4e9, 2.1e9, 2.1e9, 2.1e9, 2.1e9,
    ]
    var devices: [Device] = []
    for f in frequencies {
      var d = 0.0
      repeat {
        d = 200 * rng.uniform(0...1).squareRoot()
      } while d < 10
      devices.append(
        Device(compute: .cpu(hz: f), link: .distance(meters: (d * 100).rounded() / 100)))
    }
    // Built from constants that satisfy every check.
    return try! Scenario(
      name: "Table I, K = 12 CPU devices, DenseNet121", gradientBits: 32 * 8_062_504,
      lossDecayCoefficient: 1, maxBatch: 128, uplinkFrameSeconds: 0.01, downlinkFrameSeconds: 0.01,
      cyclesPerSample: 3e8, updateCycles: 1.6e7, updateFlops: 0, channel: Channel(),
      devices: devices)
  }
}
