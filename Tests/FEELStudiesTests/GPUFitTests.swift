import FEEL
import FEELStudies
import FEELTestSupport
import Foundation
import Testing

/// Fitting the GPU training function of Assumption 1 (eq. 27) to (batch, latency) pairs.
@Suite struct GPUFitTests {
  /// The least-squares residual of eq. (27) at a fixed threshold, by the 2×2 normal
  /// equations solved with Cramer's rule (an independent formulation).
  static func rss(_ b: [Double], _ t: [Double], threshold th: Double) -> Double {
    var n = 0.0
    var sf = 0.0
    var sff = 0.0
    var st = 0.0
    var sft = 0.0
    for i in 0..<b.count {
      let f = max(0, b[i] - th)
      n += 1
      sf += f
      sff += f * f
      st += t[i]
      sft += f * t[i]
    }
    let det = n * sff - sf * sf
    let base = det != 0 ? (st * sff - sf * sft) / det : st / n
    let c = det != 0 ? (n * sft - sf * st) / det : 0
    return zip(b, t).reduce(0) { r, p in
      let e = p.1 - (base + c * max(0, p.0 - th))
      return r + e * e
    }
  }

  @Test func recoversNoiselessCoefficientsExactly() throws {
    let seed: UInt64 = 0xF17_0
    forEachInstance(seed: seed, count: 200) { i, rng in
      let th = rng.int(in: 1...200)
      let base = rng.logUniform(1e-3...1)
      let c = rng.logUniform(1e-5...1e-1)
      // Batches: a random subset holding at least one point at or below th and two above.
      var batches: [Double] = [Double(rng.int(in: 1...th))]
      batches.append(Double(th + rng.int(in: 1...50)))
      batches.append(batches[1] + Double(rng.int(in: 1...50)))
      for _ in 0..<rng.int(in: 0...30) {
        batches.append(Double(rng.int(in: 1...(th + 100))))
      }
      let seconds = batches.map { base + c * max(0, $0 - Double(th)) }
      let fit = try GPUFit.fit(batches: batches, seconds: seconds)
      #expect(fit.thresholdBatch == th, "seed \(seed) instance \(i)")
      #expect(abs(fit.baseSeconds - base) <= 1e-9 * base, "seed \(seed) instance \(i)")
      #expect(abs(fit.secondsPerSample - c) <= 1e-9 * c, "seed \(seed) instance \(i)")
      #expect(fit.rootMeanSquare <= 1e-12 * (base + c * 150), "seed \(seed) instance \(i)")
      #expect(fit.rSquared > 1 - 1e-12, "seed \(seed) instance \(i)")
      #expect(fit.count == batches.count)
    }
  }

  /// With noise the fit is the least-squares optimum over every integer threshold (checked
  /// against the normal equations at each one), so its residual is never above that of
  /// the generating curve; the coefficients land near the truth.
  @Test func noisyFitIsTheLeastSquaresOptimumAndNearTheTruth() throws {
    let seed: UInt64 = 0xF17_1
    var rng = SeededGenerator(seed: seed)
    for i in 0..<12 {
      let th = rng.int(in: 8...64)
      let base = rng.logUniform(1e-2...1)
      let c = base / Double(th) * rng.uniform(0.5...2)
      var batches: [Double] = []
      var seconds: [Double] = []
      for b in 1...256 {
        for _ in 0..<2 {
          // Gaussian noise, 1 % of the flat latency (Box–Muller).
          let u1 = max(Double.leastNormalMagnitude, rng.uniform(0...1))
          let g = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * rng.uniform(0...1))
          batches.append(Double(b))
          seconds.append(base + c * max(0, Double(b - th)) + 0.01 * base * g)
        }
      }
      let fit = try GPUFit.fit(batches: batches, seconds: seconds)
      var least = Double.infinity
      for candidate in 1...255 {
        least = min(least, Self.rss(batches, seconds, threshold: Double(candidate)))
      }
      #expect(fit.residualSumOfSquares <= least * (1 + 1e-9), "seed \(seed) instance \(i)")
      let truth = zip(batches, seconds).reduce(0.0) { r, p in
        let e = p.1 - (base + c * max(0, p.0 - Double(th)))
        return r + e * e
      }
      #expect(fit.residualSumOfSquares <= truth, "seed \(seed) instance \(i)")
      #expect(
        abs(fit.thresholdBatch - th) <= 3,
        "seed \(seed) instance \(i): \(fit.thresholdBatch) vs \(th)")
      #expect(abs(fit.secondsPerSample - c) <= 0.02 * c, "seed \(seed) instance \(i)")
      #expect(abs(fit.baseSeconds - base) <= 0.02 * base, "seed \(seed) instance \(i)")
      #expect(fit.rSquared > 0.99)
    }
  }

  @Test func theFitIsAValidScenarioProfile() throws {
    let fit = try GPUFit.fit(
      batches: [1, 8, 16, 24, 32, 64], seconds: [0.05, 0.05, 0.05, 0.066, 0.082, 0.146])
    #expect(fit.thresholdBatch == 16)
    let s = try Scenario(
      gradientBits: 1e6,
      devices: [
        Device(
          compute: .gpu(fit.profile(flops: 1e13)), link: .rates(uplinkBps: 1e7, downlinkBps: 1e7))
      ])
    #expect(s.devices.count == 1)
    #expect(abs(fit.latency(batch: 32) - 0.082) <= 1e-12)
  }

  @Test func badMeasurementsAreTypedErrors() {
    #expect(throws: GPUFitError.tooFewPoints(count: 2)) {
      try GPUFit.fit(batches: [1, 2], seconds: [1, 1])
    }
    #expect(throws: GPUFitError.tooFewPoints(count: 3)) {
      try GPUFit.fit(batches: [1, 2, 3], seconds: [1, 1, 1, 1])
    }
    #expect(throws: GPUFitError.nonFinite(index: 1)) {
      try GPUFit.fit(batches: [1, .nan, 3], seconds: [1, 1, 1])
    }
    #expect(throws: GPUFitError.nonFinite(index: 2)) {
      try GPUFit.fit(batches: [1, 2, 3], seconds: [1, 1, .infinity])
    }
    #expect(throws: GPUFitError.nonPositiveBatch(index: 0, batch: 0)) {
      try GPUFit.fit(batches: [0, 2, 3], seconds: [1, 1, 1])
    }
    #expect(throws: GPUFitError.negativeSeconds(index: 2, seconds: -1)) {
      try GPUFit.fit(batches: [1, 2, 3], seconds: [1, 1, -1])
    }
    #expect(throws: GPUFitError.tooFewDistinctBatches(count: 2)) {
      try GPUFit.fit(batches: [4, 4, 8, 8], seconds: [1, 1, 2, 2])
    }
    #expect(throws: GPUFitError.tooManyCandidates(count: 9_999_999)) {
      try GPUFit.fit(batches: [1, 2, 1e7], seconds: [1, 1, 2])
    }
    #expect(throws: GPUFitError.batchTooLarge(index: 0, batch: 1e20)) {
      try GPUFit.fit(batches: [1e20, 1e20 + 1e5, 1e20 + 2e5], seconds: [1, 1, 2])
    }
    #expect(throws: GPUFitError.self) {
      try GPUFit.fit(batches: [1, 2, 3, 4], seconds: [4, 3, 2, 1])
    }
    #expect(throws: GPUFitError.self) {
      try GPUFit.fit(batches: [1, 2, 3, 4], seconds: [1, 1, 1, 1])
    }
    for e in [
      GPUFitError.tooFewPoints(count: 1), .nonFinite(index: 0),
      .notAssumption1(baseSeconds: 1, secondsPerSample: -1),
    ] {
      #expect(!e.description.contains("\n"))
    }
  }
}
