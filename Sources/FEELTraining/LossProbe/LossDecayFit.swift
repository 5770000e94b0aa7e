import ConvexCore
import Foundation

// Fitting the loss-decay models of a scenario's `lossDecay` to measured decreases ΔL(B).
//
// Priorities: a fit that is a valid model (ξ > 0, 0 < α ≤ 1; L∞ > 0, B_n ≥ 0), with any
// bound that was active said so, never hidden; then agreement with the least-squares
// optimum; then speed (the fits are tiny, and the bootstrap repeats them).
//
// Both models are fitted to the logarithms of the mean decreases, so that their residual
// sums of squares and AICs compare on one scale and every batch counts by its relative
// error (ΔL spans orders of magnitude over B = 8 … 4096):
//
//   power:       log ȳ_B ≈ log ξ + α·log B                       (linear least squares)
//   saturating:  log ȳ_B ≈ log L∞ + log B − log(B + B_n)         (for fixed B_n, log L∞ is
//                the mean residual; B_n is found by a scan and golden-section search in
//                log B_n, the profile method)

/// Why a loss-decay fit could not be made.
public enum LossFitError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Fewer than three batches with a positive mean decrease (a log fit needs ΔL > 0).
  case tooFewPositivePoints(usable: Int, batches: [Int])
  /// Batches and samples of different lengths, a batch below 1, or a non-finite sample.
  case invalidData(String)

  /// One line saying what is wrong.
  public var description: String {
    switch self {
    case .tooFewPositivePoints(let usable, let batches):
      return
        "only \(usable) of the batches \(batches) have a positive mean loss decrease; "
        + "a fit needs three (more repeats, a larger learning rate or an earlier checkpoint)"
    case .invalidData(let detail):
      return "invalid loss-decay data: \(detail)"
    }
  }
}

/// ΔL = ξ·B^α fitted by least squares on log ΔL against log B.
public struct PowerLossFit: Sendable, Equatable {
  /// ξ of the constrained fit (a valid `power` model: ξ > 0, 0 < α ≤ 1).
  public var coefficient: Double
  /// α of the constrained fit: the unconstrained slope when it lies in (0, 1], else the
  /// bound (1, or ``PowerLossFit/minimumExponent``), with ``exponentAtBound`` true.
  public var exponent: Double
  /// The least-squares slope without the bounds.
  public var unconstrainedExponent: Double
  /// Whether the bound was active.
  public var exponentAtBound: Bool
  /// Bootstrap 95 % percentile interval of the unconstrained slope (nil without bootstrap).
  public var exponentInterval: ClosedRange<Double>?
  /// Σ (log ȳ − log ŷ)² of the constrained fit.
  public var residualSumOfSquares: Double
  /// Akaike's criterion n·log(RSS/n) + 2·2.
  public var aic: Double

  /// The smallest exponent reported as a valid model (the contract needs α > 0).
  public static let minimumExponent = 1e-6
}

/// ΔL = L∞·B/(B + B_n) fitted by least squares on log ΔL.
public struct SaturatingLossFit: Sendable, Equatable {
  /// L∞ > 0: the decrease at B → ∞.
  public var maxDecrease: Double
  /// B_n ≥ 0: the noise batch at which ΔL is half of L∞.
  public var noiseBatch: Double
  /// Whether B_n hit an end of the searched range [10⁻³·B_min, 10³·B_max] (the data are
  /// then flat, B_n → 0, or linear, B_n → ∞, over the measured batches).
  public var noiseBatchAtBound: Bool
  /// Bootstrap 95 % percentile interval of B_n (nil without bootstrap).
  public var noiseBatchInterval: ClosedRange<Double>?
  /// Σ (log ȳ − log ŷ)².
  public var residualSumOfSquares: Double
  /// Akaike's criterion n·log(RSS/n) + 2·2.
  public var aic: Double
}

/// Both fits of one data set and the batches they used.
public struct LossDecayFits: Sendable, Equatable {
  /// The power-law fit.
  public var power: PowerLossFit
  /// The saturating fit.
  public var saturating: SaturatingLossFit
  /// The batches whose mean decrease was positive (used by the fits).
  public var usedBatches: [Int]
  /// The batches left out (mean decrease ≤ 0).
  public var excludedBatches: [Int]
  /// Mean decrease per batch (all batches, in input order).
  public var means: [Double]
  /// Standard error of each mean (NaN for a single sample).
  public var standardErrors: [Double]

  /// The model with the smaller AIC ("power" or "saturating"; equal numbers of parameters,
  /// so this is the one with the smaller residual sum of squares).
  public var preferredModel: String { power.aic <= saturating.aic ? "power" : "saturating" }

  /// Whether the paper's α = 1/2 (eq. 8) lies in the bootstrap interval of α.
  public var sqrtInInterval: Bool? { power.exponentInterval.map { $0.contains(0.5) } }
}

/// Least-squares fits of the loss-decay models to measured decreases.
public enum LossDecayFitting {
  /// Fits both models to `samples[i]`, the measured decreases at batch `batches[i]`
  /// (repeats), by their means; with `bootstrap > 0` resamples, the repeats of each batch are
  /// drawn with replacement `bootstrap` times (seeded by `seed`) and both models refitted,
  /// giving percentile 95 % intervals for α and B_n (none when every batch has a single
  /// sample).
  ///
  /// - Throws: ``LossFitError`` for malformed data or fewer than three batches with a
  ///   positive mean.
  /// - Complexity: O((1 + bootstrap) · (n + Σ repeats)), n batches.
  public static func fit(
    batches: [Int], samples: [[Double]], bootstrap: Int = 1000, seed: UInt64 = 1
  ) throws(LossFitError) -> LossDecayFits {
    guard batches.count == samples.count else {
      throw .invalidData("\(batches.count) batches but \(samples.count) sample lists")
    }
    guard batches.allSatisfy({ $0 >= 1 }) else { throw .invalidData("a batch is below 1") }
    guard samples.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinite) }) else {
      throw .invalidData("a batch has no samples or a non-finite sample")
    }
    let means = samples.map { $0.reduce(0, +) / Double($0.count) }
    let standardErrors = zip(samples, means).map { values, mean -> Double in
      guard values.count > 1 else { return .nan }
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
      return (variance / Double(values.count)).squareRoot()
    }
    let used = means.indices.filter { means[$0] > 0 }
    guard used.count >= 3 else {
      throw .tooFewPositivePoints(usable: used.count, batches: batches)
    }
    let x = used.map { Double(batches[$0]) }
    let y = used.map { means[$0] }
    var power = powerFit(x: x, y: y)
    var saturating = saturatingFit(x: x, y: y)
    // A bootstrap needs repeats to resample: with one sample per batch it would only
    // reproduce the fit, so no interval is given then.
    if bootstrap > 0, used.contains(where: { samples[$0].count > 1 }) {
      var random = TrainingRandom(seed: seed)
      var exponents: [Double] = []
      var noiseBatches: [Double] = []
      for _ in 0..<bootstrap {
        var bx: [Double] = []
        var by: [Double] = []
        for i in used {
          let values = samples[i]
          var sum = 0.0
          for _ in 0..<values.count { sum += values[random.below(values.count)] }
          let mean = sum / Double(values.count)
          if mean > 0 {
            bx.append(Double(batches[i]))
            by.append(mean)
          }
        }
        guard bx.count >= 3 else { continue }
        exponents.append(powerFit(x: bx, y: by).unconstrainedExponent)
        noiseBatches.append(saturatingFit(x: bx, y: by).noiseBatch)
      }
      power.exponentInterval = percentileInterval(exponents)
      saturating.noiseBatchInterval = percentileInterval(noiseBatches)
    }
    return LossDecayFits(
      power: power, saturating: saturating, usedBatches: used.map { batches[$0] },
      excludedBatches: means.indices.filter { means[$0] <= 0 }.map { batches[$0] },
      means: means, standardErrors: standardErrors)
  }

  /// The 2.5 % and 97.5 % order statistics (nil when empty).
  static func percentileInterval(_ values: [Double]) -> ClosedRange<Double>? {
    let sorted = values.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return nil }
    let low = sorted[Int((0.025 * Double(sorted.count - 1)).rounded())]
    let high = sorted[Int((0.975 * Double(sorted.count - 1)).rounded())]
    return low...high
  }

  /// Akaike's criterion for a least-squares fit of `n` points with two parameters.
  static func aic(rss: Double, n: Int) -> Double {
    Double(n) * Foundation.log(max(rss, 1e-300) / Double(n)) + 4
  }

  /// log y = log ξ + α log x by least squares, then the bounds 0 < α ≤ 1.
  ///
  /// - Precondition: at least two distinct x, every y > 0.
  static func powerFit(x: [Double], y: [Double]) -> PowerLossFit {
    let u = x.map { Foundation.log($0) }
    let v = y.map { Foundation.log($0) }
    let n = Double(u.count)
    let uMean = u.reduce(0, +) / n
    let vMean = v.reduce(0, +) / n
    var suu = 0.0
    var suv = 0.0
    for i in u.indices {
      suu += (u[i] - uMean) * (u[i] - uMean)
      suv += (u[i] - uMean) * (v[i] - vMean)
    }
    let slope = suu > 0 ? suv / suu : 0
    let bounded = min(1, Swift.max(PowerLossFit.minimumExponent, slope))
    let atBound = !(slope > PowerLossFit.minimumExponent && slope <= 1)
    // For a fixed slope the best intercept is the mean residual.
    let alpha = atBound ? bounded : slope
    let intercept = vMean - alpha * uMean
    var rss = 0.0
    for i in u.indices {
      let r = v[i] - intercept - alpha * u[i]
      rss += r * r
    }
    return PowerLossFit(
      coefficient: Foundation.exp(intercept), exponent: alpha, unconstrainedExponent: slope,
      exponentAtBound: atBound, exponentInterval: nil, residualSumOfSquares: rss,
      aic: aic(rss: rss, n: u.count))
  }

  /// log y = log L∞ + log x − log(x + B_n): profile least squares over t = log B_n on
  /// [log(10⁻³·x_min), log(10³·x_max)], a scan of 64 points then golden section.
  ///
  /// - Precondition: every x ≥ 1 and y > 0.
  static func saturatingFit(x: [Double], y: [Double]) -> SaturatingLossFit {
    let v = y.map { Foundation.log($0) }
    let logX = x.map { Foundation.log($0) }
    /// RSS and log L∞ for B_n = e^t.
    func profile(_ t: Double) -> (rss: Double, logL: Double) {
      let noise = Foundation.exp(t)
      var sum = 0.0
      var shape = [Double](repeating: 0, count: x.count)
      for i in x.indices {
        shape[i] = logX[i] - Foundation.log(x[i] + noise)
        sum += v[i] - shape[i]
      }
      let logL = sum / Double(x.count)
      var rss = 0.0
      for i in x.indices {
        let r = v[i] - logL - shape[i]
        rss += r * r
      }
      return (rss, logL)
    }
    let low = Foundation.log(1e-3 * (x.min() ?? 1))
    let high = Foundation.log(1e3 * (x.max() ?? 1))
    let scan = 64
    var bestIndex = 0
    var bestRSS = Double.infinity
    for j in 0...scan {
      let t = low + (high - low) * Double(j) / Double(scan)
      let r = profile(t).rss
      if r < bestRSS {
        bestRSS = r
        bestIndex = j
      }
    }
    let step = (high - low) / Double(scan)
    let a = Swift.max(low, low + step * Double(bestIndex - 1))
    let b = Swift.min(high, low + step * Double(bestIndex + 1))
    let refined = GoldenSection.minimize(in: a...b, tolerance: 1e-10) { profile($0).rss }
    var t = low + step * Double(bestIndex)
    if refined.x.isFinite, refined.value <= bestRSS { t = refined.x }
    let best = profile(t)
    let atBound = t - low < 1e-6 || high - t < 1e-6
    return SaturatingLossFit(
      maxDecrease: Foundation.exp(best.logL), noiseBatch: Foundation.exp(t),
      noiseBatchAtBound: atBound, noiseBatchInterval: nil, residualSumOfSquares: best.rss,
      aic: aic(rss: best.rss, n: x.count))
  }
}
