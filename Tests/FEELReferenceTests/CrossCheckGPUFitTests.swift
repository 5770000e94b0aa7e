import FEEL
import FEELReference
import FEELStudies
import FEELTestSupport
import Testing

/// The GPU latency fit (eq. 27): FEEL's closed-form threshold scan (`GPUFit.fit`) and the
/// LAPACK least-squares reference (`LAPACKReference.fitTwoPiece`, QR by dgels) agree.
@Suite struct CrossCheckGPUFitTests {
  /// `PropertyCount.value` random profiles t^ℓ + c·max(0, B − th) with multiplicative noise
  /// (0 to 10 %), sampled at a random subset of 4…40 batches that always contains B = 1
  /// and the two largest batches: both fits choose the same threshold, and t^ℓ and c agree
  /// to a relative 1e-9.
  ///
  /// Why those batches: thresholds tie exactly (equal residuals) when at most one distinct
  /// batch lies above them (the line then passes through that sample for every such
  /// threshold) or when they lie below the smallest batch, and the two fits break ties
  /// differently (`GPUFit` keeps the largest tied threshold, `fitTwoPiece` the smallest;
  /// both are least-squares optima). With 1, top − 1 and top sampled, no tie is left but
  /// by coincidence.
  @Test func gpuFitMatchesLapackLeastSquares() throws {
    var checked = 0
    forEachInstance(seed: 80_000, count: 200) { index, g in
      let base = g.logUniform(1e-3...1)
      let threshold = g.int(in: 1...40)
      let top = threshold + g.int(in: 3...40)
      // The sloped part rises to 0.5…8 times the flat level over the range.
      let slope = base * g.uniform(0.5...8) / Double(top - threshold)
      let noise = g.uniform(0...0.1)
      var batches = Set([1.0, Double(top - 1), Double(top)])
      let samples = g.int(in: 4...40)
      for _ in 0..<samples { batches.insert(Double(g.int(in: 1...top))) }
      let xs = batches.sorted()
      let ys = xs.map {
        (base + slope * max(0, $0 - Double(threshold))) * (1 + g.uniform(-noise...noise))
      }
      let context =
        "instance \(index): t \(base), c \(slope), th \(threshold), noise \(noise), B \(xs)"
      let fast: GPUFit.Fit
      do { fast = try GPUFit.fit(batches: xs, seconds: ys) } catch {
        // Noise can make the best slope ≤ 0 (no GPU profile): nothing to compare.
        return
      }
      let reference = try LAPACKReference.fitTwoPiece(batches: xs, latencies: ys)
      checked += 1
      #expect(fast.thresholdBatch == reference.thresholdBatch, "\(context)")
      guard fast.thresholdBatch == reference.thresholdBatch else { return }
      #expect(
        relativeDifference(fast.baseSeconds, reference.baseSeconds) <= 1e-9,
        "t \(fast.baseSeconds) vs \(reference.baseSeconds): \(context)")
      #expect(
        relativeDifference(fast.secondsPerSample, reference.secondsPerSample) <= 1e-9,
        "c \(fast.secondsPerSample) vs \(reference.secondsPerSample): \(context)")
    }
    #expect(checked >= PropertyCount.value * 9 / 10, "only \(checked) fits compared")
  }
}
