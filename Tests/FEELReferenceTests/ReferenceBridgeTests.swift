import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Testing

/// The bridge computes the reference instances from the scenario's raw fields with its own
/// formulas; FEEL compiles the same numbers into `SystemData`. Two independent codings of
/// eqs. (5)–(6), (9), (12), (27) and (28) must agree to rounding.
@Suite struct ReferenceBridgeTests {
  /// 200 random scenarios (``forEachInstance(seed:count:block:of:sourceLocation:_:)``) (a quarter of them with devices given by
  /// distance, so the channel formulas and the exponential integral run): a_k, d_k, m_k, the
  /// rates and the true latency at random batches agree to a relative 1e-12.
  @Test func instancesAgreeWithFEELsCompiledModel() throws {
    forEachInstance(seed: 95_000, count: 200) { index, g in
      let scenario = randomScenario(&g, kind: .cycling(index), devices: 1...6)
      let data = try SystemData(scenario)
      let context = "instance \(index)"
      let a = ReferenceBridge.uplinkWork(scenario)
      let d = ReferenceBridge.downlinkWork(scenario)
      let m = ReferenceBridge.updateSeconds(scenario)
      let pieces = ReferenceBridge.truePieces(scenario)
      for k in 0..<data.count {
        let rates = ReferenceBridge.rates(scenario, device: k)
        #expect(
          relativeDifference(rates.uplink, data.rates[k].uplink) <= 1e-12, "\(context) k \(k)")
        #expect(relativeDifference(rates.downlink, data.rates[k].downlink) <= 1e-12, "\(context)")
        #expect(relativeDifference(a[k], data.uplinkWork[k]) <= 1e-12, "\(context) k \(k)")
        #expect(relativeDifference(d[k], data.downlinkWork[k]) <= 1e-12, "\(context) k \(k)")
        #expect(abs(m[k] - data.updateSeconds[k]) <= 1e-12 * max(m[k], 1e-300), "\(context)")
        let B = g.uniform(1...Double(data.maxBatch))
        let latency = pieces[k].map { $0.alpha + $0.beta * B }.max()!
        let fast = data.trueLatency(of: k, batch: B)
        // Relative to the size of the terms: α_k + β_k·B cancels when α_k < 0.
        let size = pieces[k].map { abs($0.alpha) + $0.beta * B }.max()!
        #expect(abs(latency - fast) <= 1e-12 * size, "\(context) k \(k) B \(B)")
      }
      #expect(ReferenceBridge.globalBatchRange(scenario).lowerBound == data.minimumGlobalBatch)
      #expect(ReferenceBridge.globalBatchRange(scenario).upperBound == data.maximumGlobalBatch)
    }
  }

  /// The bridge's e^x·E₁(x) (Ramanujan's series, a backward continued fraction) against
  /// FEEL's (a power series, Lentz's forward continued fraction) over 24 decades, and at two
  /// values from tables (Abramowitz and Stegun 5.1: E₁(1) = 0.219383934395520,
  /// E₁(0.5) = 0.559773594776161).
  @Test func exponentialIntegralAgreesWithFEELsAndWithTables() {
    var g = SeededGenerator(seed: 96_000)
    for _ in 0..<2_000 {
      let x = g.logUniform(1e-12...1e12)
      let ours = ReferenceBridge.scaledE1(x)
      let theirs = SpecialFunctions.expE1(x)
      #expect(relativeDifference(ours, theirs) <= 1e-13, "x \(x): \(ours) vs \(theirs)")
    }
    #expect(
      relativeDifference(ReferenceBridge.scaledE1(1) / 2.718281828459045, 0.219383934395520)
        <= 1e-14)
    #expect(
      relativeDifference(ReferenceBridge.scaledE1(0.5) / 1.6487212707001282, 0.559773594776161)
        <= 1e-14)
  }
}
