// Numerical priorities: (1) reject data that cannot determine the three coefficients,
// with the index of the offending measurement, (2) accuracy: each candidate fit is a
// centred simple linear regression (no normal-equation cancellation), and the chosen
// fit's residuals are recomputed directly, (3) speed: O(n) per candidate threshold.
import FEEL

/// Why measurements cannot be fitted by ``GPUFit``.
public enum GPUFitError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Fewer than 3 measurements.
  case tooFewPoints(count: Int)
  /// Measurement `index` (0-based) has a batch or a latency that is not finite.
  case nonFinite(index: Int)
  /// Measurement `index` has a batch ≤ 0.
  case nonPositiveBatch(index: Int, batch: Double)
  /// Measurement `index` has a negative latency.
  case negativeSeconds(index: Int, seconds: Double)
  /// Measurement `index` has a batch above ``GPUFit/maxBatch`` (no GPU batch is that large,
  /// and integer thresholds stop being exact beyond it).
  case batchTooLarge(index: Int, batch: Double)
  /// Fewer than 3 distinct batch sizes: a flat piece, a slope and a breakpoint cannot be
  /// told apart.
  case tooFewDistinctBatches(count: Int)
  /// The distinct batch sizes span more integer thresholds than ``GPUFit/maxCandidates``.
  case tooManyCandidates(count: Int)
  /// The best fit does not increase beyond its threshold (c ≤ 0), or its flat latency is
  /// negative: the data do not follow Assumption 1.
  case notAssumption1(baseSeconds: Double, secondsPerSample: Double)

  /// One line naming the problem and the measurement.
  public var description: String {
    switch self {
    case .tooFewPoints(let n): return "need at least 3 measurements, got \(n)"
    case .nonFinite(let i): return "measurement \(i + 1): batch and seconds must be finite numbers"
    case .nonPositiveBatch(let i, let b):
      return "measurement \(i + 1): batch must be > 0 (got \(b))"
    case .negativeSeconds(let i, let s):
      return "measurement \(i + 1): seconds must be >= 0 (got \(s))"
    case .batchTooLarge(let i, let b):
      return "measurement \(i + 1): batch must be <= \(GPUFit.maxBatch) (got \(b))"
    case .tooFewDistinctBatches(let n):
      return "need at least 3 distinct batch sizes to fit a breakpoint, got \(n)"
    case .tooManyCandidates(let n):
      return "the batch sizes span \(n) candidate thresholds (at most \(GPUFit.maxCandidates))"
    case .notAssumption1(let t, let c):
      return "the best fit has t^ℓ = \(t) s and c = \(c) s/sample: the latency does not grow "
        + "beyond a threshold as Assumption 1 (eq. 27) requires"
    }
  }
}

/// Least-squares fit of the GPU training function of Assumption 1 (eq. 27) to
/// measured (batch size, latency) pairs, as in Fig. 2(b) of the paper.
///
/// **Problem.** Given n measurements (b_i, t_i), find t^ℓ, c and an integer B^th
/// minimizing the residual sum of squares of
///
///     t(b) = t^ℓ + c·max(0, b − B^th).
///
/// **Method.** For a fixed B^th the model is linear in (t^ℓ, c) with the feature
/// f_i = max(0, b_i − B^th): its least-squares solution is the centred simple regression
/// c = Σ(f_i − f̄)(t_i − t̄)/Σ(f_i − f̄)², t^ℓ = t̄ − c·f̄ (the 2×2 normal equations solved
/// without their cancellation). Every integer threshold from ⌈min b⌉ to ⌈max b⌉ − 1 is
/// tried (below min b the model is a single line, whose intercept trades off with B^th;
/// at or above max b the slope is undetermined) and the least residual wins. Among
/// thresholds whose residuals agree to 1e-12 of the total sum of squares, the largest is
/// kept (the widest flat region the data allow).
///
/// **Preconditions.** At least 3 measurements, all finite, batches > 0, latencies ≥ 0,
/// at least 3 distinct batches; otherwise ``GPUFitError``.
///
/// **Guarantee.** The returned fit minimizes the residual over the integer thresholds
/// tried (to the tie tolerance); on data generated exactly by eq. (27) with an integer
/// threshold, at least one measured batch at or below it and at least two distinct
/// batches above it, the coefficients are recovered to rounding (when the only flat
/// measurement sits at the threshold itself, every smaller threshold fits as well, and
/// the tie rule picks the true one).
///
/// **Complexity.** O(n·m) time with m the number of candidate thresholds, O(n) memory.
public enum GPUFit {
  /// The largest number of candidate thresholds tried.
  public static let maxCandidates = 1_000_000
  /// The largest batch size accepted, 2^40.
  public static let maxBatch: Double = 1_099_511_627_776

  /// A fitted GPU training function and its quality.
  public struct Fit: Sendable, Equatable {
    /// t^ℓ, the latency in the data-bound region, seconds.
    public let baseSeconds: Double
    /// c, the extra latency per sample beyond the threshold, seconds.
    public let secondsPerSample: Double
    /// B^th.
    public let thresholdBatch: Int
    /// Σ (t_i − t(b_i))².
    public let residualSumOfSquares: Double
    /// √(RSS/n), seconds.
    public let rootMeanSquare: Double
    /// 1 − RSS/Σ(t_i − t̄)² (1 when every latency is equal and fitted exactly).
    public let rSquared: Double
    /// n.
    public let count: Int

    /// The fitted latency at batch `b`.
    public func latency(batch b: Double) -> Double {
      baseSeconds + secondsPerSample * Swift.max(0, b - Double(thresholdBatch))
    }

    /// The fit as a `GPUProfile` with the given FLOP rate (eq. 28).
    public func profile(flops: Double) -> GPUProfile {
      GPUProfile(
        baseSeconds: baseSeconds, secondsPerSample: secondsPerSample,
        thresholdBatch: thresholdBatch, flops: flops)
    }
  }

  /// Fits eq. (27) to `batches` and `seconds` (paired by index).
  ///
  /// - Throws: ``GPUFitError``.
  /// - Complexity: O(n·m), m the number of integer thresholds between the batches.
  public static func fit(batches: [Double], seconds: [Double]) throws -> Fit {
    let n = Swift.min(batches.count, seconds.count)
    guard batches.count == seconds.count, n >= 3 else { throw GPUFitError.tooFewPoints(count: n) }
    for i in 0..<n {
      guard batches[i].isFinite, seconds[i].isFinite else { throw GPUFitError.nonFinite(index: i) }
      guard batches[i] > 0 else { throw GPUFitError.nonPositiveBatch(index: i, batch: batches[i]) }
      guard seconds[i] >= 0 else {
        throw GPUFitError.negativeSeconds(index: i, seconds: seconds[i])
      }
      guard batches[i] <= maxBatch else {
        throw GPUFitError.batchTooLarge(index: i, batch: batches[i])
      }
    }
    let distinct = Set(batches).count
    guard distinct >= 3 else { throw GPUFitError.tooFewDistinctBatches(count: distinct) }
    let low = batches.min() ?? 1
    let high = batches.max() ?? 1
    let first = low.rounded(.up)
    let last = high.rounded(.up) - 1
    let span = last - first + 1
    guard span <= Double(maxCandidates) else {
      throw GPUFitError.tooManyCandidates(count: Int(Swift.min(span, Double(Int.max / 2))))
    }
    let mean = seconds.reduce(0, +) / Double(n)
    let total = seconds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let tie = 1e-12 * total

    var best: (th: Int, t: Double, c: Double)? = nil
    var leastRSS = Double.infinity
    var th = Int(first)
    let end = Int(last)
    while th <= end {
      let candidate = line(batches, seconds, threshold: Double(th), mean: mean)
      if candidate.rss <= leastRSS + tie {
        best = (th, candidate.t, candidate.c)
        leastRSS = Swift.min(leastRSS, candidate.rss)
      }
      th += 1
    }
    guard let chosen = best else { throw GPUFitError.tooFewDistinctBatches(count: distinct) }
    guard chosen.c > 0, chosen.t >= 0, chosen.c.isFinite, chosen.t.isFinite else {
      throw GPUFitError.notAssumption1(baseSeconds: chosen.t, secondsPerSample: chosen.c)
    }
    var rss = 0.0
    for i in 0..<n {
      let r = seconds[i] - (chosen.t + chosen.c * Swift.max(0, batches[i] - Double(chosen.th)))
      rss += r * r
    }
    return Fit(
      baseSeconds: chosen.t, secondsPerSample: chosen.c, thresholdBatch: chosen.th,
      residualSumOfSquares: rss, rootMeanSquare: (rss / Double(n)).squareRoot(),
      rSquared: total > 0 ? 1 - rss / total : (rss == 0 ? 1 : 0), count: n)
  }

  /// The least-squares line t = t^ℓ + c·max(0, b − th) for one threshold and its RSS.
  private static func line(
    _ b: [Double], _ t: [Double], threshold th: Double, mean tBar: Double
  ) -> (t: Double, c: Double, rss: Double) {
    let n = Double(b.count)
    var fBar = 0.0
    for x in b { fBar += Swift.max(0, x - th) }
    fBar /= n
    var sff = 0.0
    var sft = 0.0
    for i in 0..<b.count {
      let f = Swift.max(0, b[i] - th) - fBar
      sff += f * f
      sft += f * (t[i] - tBar)
    }
    let c = sff > 0 ? sft / sff : 0
    let base = tBar - c * fBar
    var rss = 0.0
    for i in 0..<b.count {
      let r = t[i] - (base + c * Swift.max(0, b[i] - th))
      rss += r * r
    }
    return (base, c, rss)
  }
}
