import Foundation
import Testing

@testable import FEELTraining

/// The loss-decay fits recover known parameters from synthetic noisy data of each model,
/// satisfy their optimality conditions, honour the bounds and are reproducible.
@Suite struct LossDecayFitTests {
  static let batches = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]

  /// `repeats` samples per batch of `model(B)·(1 + noise·z)`, z standard normal.
  static func samples(
    _ model: (Double) -> Double, noise: Double, repeats: Int = 30, seed: UInt64
  ) -> [[Double]] {
    var random = TrainingRandom(seed: seed)
    return batches.map { b in
      (0..<repeats).map { _ in model(Double(b)) * (1 + noise * random.normal()) }
    }
  }

  @Test(arguments: [(0.02, 0.5), (0.003, 0.8), (0.1, 0.25)])
  func powerLawIsRecoveredFromNoisyData(xi: Double, alpha: Double) throws {
    let data = Self.samples({ xi * pow($0, alpha) }, noise: 0.2, seed: 0xF17)
    let fits = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 400)
    #expect(abs(fits.power.exponent - alpha) < 0.02, "alpha \(fits.power.exponent)")
    #expect(abs(fits.power.coefficient / xi - 1) < 0.1, "xi \(fits.power.coefficient)")
    let interval = try #require(fits.power.exponentInterval)
    #expect(interval.contains(alpha), "\(interval) misses \(alpha)")
    #expect(interval.upperBound - interval.lowerBound < 0.05)
    #expect(fits.preferredModel == "power")
    #expect(fits.sqrtInInterval == (alpha == 0.5))
    #expect(!fits.power.exponentAtBound)
  }

  @Test(arguments: [(0.1, 200.0), (0.05, 30.0), (1.0, 1000.0)])
  func saturatingModelIsRecoveredFromNoisyData(maxDecrease: Double, noiseBatch: Double) throws {
    let data = Self.samples(
      { maxDecrease * $0 / ($0 + noiseBatch) }, noise: 0.1, seed: 0x5A7)
    let fits = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 400)
    #expect(
      abs(fits.saturating.noiseBatch / noiseBatch - 1) < 0.15, "\(fits.saturating.noiseBatch)")
    #expect(abs(fits.saturating.maxDecrease / maxDecrease - 1) < 0.05)
    let interval = try #require(fits.saturating.noiseBatchInterval)
    #expect(interval.contains(noiseBatch), "\(interval) misses \(noiseBatch)")
    #expect(fits.preferredModel == "saturating")
    #expect(fits.saturating.aic < fits.power.aic)
    #expect(!fits.saturating.noiseBatchAtBound)
  }

  /// Without noise the fits are exact.
  @Test func noiseFreeDataAreFittedExactly() throws {
    let power = try LossDecayFitting.fit(
      batches: Self.batches, samples: Self.batches.map { [0.7 * pow(Double($0), 0.37)] },
      bootstrap: 0)
    #expect(abs(power.power.exponent - 0.37) < 1e-12)
    #expect(abs(power.power.coefficient - 0.7) < 1e-12)
    #expect(power.power.residualSumOfSquares < 1e-24)
    #expect(power.power.exponentInterval == nil)
    let saturating = try LossDecayFitting.fit(
      batches: Self.batches, samples: Self.batches.map { [2 * Double($0) / (Double($0) + 77)] },
      bootstrap: 0)
    #expect(abs(saturating.saturating.noiseBatch / 77 - 1) < 1e-6)
    #expect(abs(saturating.saturating.maxDecrease / 2 - 1) < 1e-6)
  }

  /// The power fit's residuals are orthogonal to 1 and log B (the normal equations), and
  /// the saturating fit is a stationary point of the RSS in B_n and L∞ (checked by
  /// finite differences of an independent RSS).
  @Test func fitsSatisfyTheirOptimalityConditions() throws {
    let data = Self.samples({ 0.05 * $0 / ($0 + 100) }, noise: 0.3, repeats: 5, seed: 0x0C)
    let fits = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 0)
    let u = Self.batches.map { log(Double($0)) }
    let v = fits.means.map { log($0) }
    var sum = 0.0
    var weighted = 0.0
    for i in u.indices {
      let r = v[i] - log(fits.power.coefficient) - fits.power.exponent * u[i]
      sum += r
      weighted += r * u[i]
    }
    #expect(abs(sum) < 1e-9 && abs(weighted) < 1e-8)
    func rss(_ l: Double, _ n: Double) -> Double {
      Self.batches.indices.reduce(0.0) {
        let b = Double(Self.batches[$1])
        let r = v[$1] - log(l * b / (b + n))
        return $0 + r * r
      }
    }
    let l = fits.saturating.maxDecrease
    let n = fits.saturating.noiseBatch
    #expect(abs(rss(l, n) - fits.saturating.residualSumOfSquares) < 1e-12)
    for factor in [0.98, 1.02] {
      #expect(rss(l, n * factor) >= rss(l, n) - 1e-12)
      #expect(rss(l * factor, n) >= rss(l, n) - 1e-12)
    }
  }

  @Test func boundsAreActiveAndSaidSo() throws {
    let steep = try LossDecayFitting.fit(
      batches: Self.batches, samples: Self.batches.map { [1e-4 * pow(Double($0), 1.3)] },
      bootstrap: 0)
    #expect(steep.power.exponent == 1)
    #expect(steep.power.exponentAtBound)
    #expect(abs(steep.power.unconstrainedExponent - 1.3) < 1e-9)
    let falling = try LossDecayFitting.fit(
      batches: Self.batches, samples: Self.batches.map { [pow(Double($0), -0.2)] }, bootstrap: 0)
    #expect(falling.power.exponent == PowerLossFit.minimumExponent)
    #expect(falling.power.exponentAtBound)
    #expect(falling.saturating.noiseBatchAtBound)  // flat-or-falling data: B_n → 0
    #expect(falling.saturating.noiseBatch > 0)
  }

  @Test func nonPositiveMeansAreLeftOutAndTooFewAreAnError() throws {
    var data = Self.batches.map { [0.01 * pow(Double($0), 0.5)] }
    data[0] = [-0.01]
    data[9] = [0]
    let fits = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 0)
    #expect(fits.excludedBatches == [8, 4096])
    #expect(fits.usedBatches.count == 8)
    #expect(abs(fits.power.exponent - 0.5) < 1e-12)
    #expect(throws: LossFitError.tooFewPositivePoints(usable: 2, batches: [1, 2, 3])) {
      try LossDecayFitting.fit(batches: [1, 2, 3], samples: [[1], [1], [-1]])
    }
    #expect(throws: LossFitError.self) {
      try LossDecayFitting.fit(batches: [1, 2], samples: [[1]])
    }
    #expect(throws: LossFitError.self) {
      try LossDecayFitting.fit(batches: [1, 2, 3], samples: [[1], [.nan], [2]])
    }
  }

  @Test func bootstrapIsReproducibleForAFixedSeed() throws {
    let data = Self.samples({ 0.02 * pow($0, 0.5) }, noise: 0.5, repeats: 8, seed: 3)
    let a = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 100, seed: 9)
    let b = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 100, seed: 9)
    let c = try LossDecayFitting.fit(batches: Self.batches, samples: data, bootstrap: 100, seed: 10)
    #expect(a == b)
    #expect(a.power.exponentInterval != c.power.exponentInterval)
  }
}
