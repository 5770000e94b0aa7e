import FEELReference
import FEELTestSupport
import Testing

@Suite struct FitTwoPieceTests {
  /// Noiseless samples of t_ℓ + c·max(0, B − th) at B = 1…maxBatch: exact recovery.
  @Test func recoversExactParameters() throws {
    for seed in UInt64(0)..<20 {
      var g = SeededGenerator(seed: 3000 + seed)
      let base = g.logUniform(1e-3...1)
      let slope = g.logUniform(1e-5...1e-2)
      let threshold = Int(g.uniform(2...60).rounded())
      let maxBatch = threshold + Int(g.uniform(8...80).rounded())
      let batches = (1...maxBatch).map(Double.init)
      let latencies = batches.map { base + slope * max(0, $0 - Double(threshold)) }
      let fit = try LAPACKReference.fitTwoPiece(batches: batches, latencies: latencies)
      let context = "seed \(3000 + seed): base \(base), slope \(slope), th \(threshold) → \(fit)"
      #expect(fit.thresholdBatch == threshold, "\(context)")
      #expect(abs(fit.baseSeconds - base) <= 1e-10 * base, "\(context)")
      #expect(abs(fit.secondsPerSample - slope) <= 1e-8 * slope, "\(context)")
      #expect(fit.residualSumOfSquares <= 1e-24, "\(context)")
    }
  }

  /// 1% multiplicative noise on random batches: close to the truth.
  @Test func closeWithSmallNoise() throws {
    for seed in UInt64(0)..<20 {
      var g = SeededGenerator(seed: 4000 + seed)
      let base = g.logUniform(1e-2...1)
      let threshold = Int(g.uniform(8...48).rounded())
      // Make the sloped part rise to several times the flat level over the range.
      let slope = base * g.uniform(2...6) / 64
      let batches = (0..<200).map { _ in g.uniform(1...Double(threshold + 64)).rounded() }
      let latencies = batches.map {
        (base + slope * max(0, $0 - Double(threshold))) * (1 + g.uniform(-0.01...0.01))
      }
      let fit = try LAPACKReference.fitTwoPiece(batches: batches, latencies: latencies)
      let context = "seed \(4000 + seed): base \(base), slope \(slope), th \(threshold) → \(fit)"
      #expect(abs(fit.thresholdBatch - threshold) <= 3, "\(context)")
      #expect(abs(fit.baseSeconds - base) <= 0.02 * base, "\(context)")
      #expect(abs(fit.secondsPerSample - slope) <= 0.05 * slope, "\(context)")
    }
  }

  /// A flat profile is fitted by the constant model; bad input is rejected.
  @Test func flatProfileAndBadInput() throws {
    let flat = try LAPACKReference.fitTwoPiece(
      batches: [1, 2, 3, 4], latencies: [0.5, 0.5, 0.5, 0.5])
    #expect(abs(flat.baseSeconds - 0.5) < 1e-15)
    #expect(abs(flat.secondsPerSample) < 1e-12)
    #expect(flat.residualSumOfSquares < 1e-28)
    #expect(throws: ReferenceError.empty) {
      try LAPACKReference.fitTwoPiece(batches: [1], latencies: [1])
    }
    #expect(throws: ReferenceError.mismatchedLengths("latencies", expected: 2, actual: 1)) {
      try LAPACKReference.fitTwoPiece(batches: [1, 2], latencies: [1])
    }
    #expect(throws: ReferenceError.nonFinite("latencies", index: 1)) {
      try LAPACKReference.fitTwoPiece(batches: [1, 2], latencies: [1, .nan])
    }
  }
}
