import ConvexCore
import FEEL
import Testing

@testable import FEELTraining

@Suite struct TrainingRandomTests {
  @Test func bitsAreSplitMix64AndRepeatable() {
    var a = TrainingRandom(seed: 77)
    var b = SplitMix64(seed: 77)
    for _ in 0..<100 { #expect(a.next() == b.next()) }
  }

  @Test func unitIsInTheHalfOpenIntervalWithTheRightMean() {
    var random = TrainingRandom(seed: 3)
    var sum = 0.0
    for _ in 0..<20_000 {
      let u = random.unit()
      #expect(u >= 0 && u < 1)
      sum += u
    }
    // Mean 1/2, standard error √(1/12/20000) ≈ 0.002.
    #expect(abs(sum / 20_000 - 0.5) < 0.01)
  }

  /// `below(n)` covers 0..<n evenly: a chi-square statistic over 7 cells far below the
  /// 0.1 % critical value (24.3 for 6 degrees of freedom).
  @Test func belowIsUniform() {
    var random = TrainingRandom(seed: 5)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<14_000 {
      let k = random.below(7)
      #expect(k >= 0 && k < 7)
      counts[k] += 1
    }
    let chi2 = counts.reduce(0.0) { $0 + pow2(Double($1) - 2_000) / 2_000 }
    #expect(chi2 < 24.3, "\(counts)")
    #expect(random.below(1) == 0)
  }

  @Test func shuffleIsAPermutationAndRepeatable() {
    var a = TrainingRandom(seed: 11)
    var b = TrainingRandom(seed: 11)
    var x = Array(0..<50)
    var y = Array(0..<50)
    a.shuffle(&x)
    b.shuffle(&y)
    #expect(x == y)
    #expect(x.sorted() == Array(0..<50))
    #expect(x != Array(0..<50))
    var empty: [Int] = []
    a.shuffle(&empty)
    #expect(empty.isEmpty)
  }
}

private func pow2(_ x: Double) -> Double { x * x }
