import ConvexCore
import Testing

/// `SplitMix64` maps bits to numbers itself; these tests pin the bit sequence to the
/// published algorithm and check that every mapping still returns, bit for bit, what the
/// standard library's `random(in:using:)` returned from the same bits when the mapping moved
/// here (so the default scenario, pinned numbers and fixtures did not change). If a future
/// toolchain changes the standard library's algorithm, the comparisons against it fail while
/// `SplitMix64`'s own outputs stay put: then delete the comparisons, not the mapping.
@Suite struct SplitMix64Tests {
  /// The first outputs of SplitMix64 from seed 0 (the reference C code of Vigna's
  /// `splitmix64.c`).
  @Test func matchesTheReferenceSequence() {
    var g = SplitMix64(seed: 0)
    #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(g.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func stateContinuesTheSequence() {
    var a = SplitMix64(seed: 42)
    for _ in 0..<17 { _ = a.next() }
    var b = SplitMix64(state: a.state)
    for _ in 0..<100 { #expect(a.next() == b.next()) }
  }

  /// The closed ranges include small, wide, negative, degenerate and one-sided spans, so
  /// both the scaling and the `j = 2⁵³` end case are exercised.
  @Test(arguments: [0.0...1.0, -1e3...1e3, 1e-9...2e-9, 5.0...5.0, -3.0...(-1.0), 0...1e300])
  func closedDoubleRangeMatchesStandardLibrary(range: ClosedRange<Double>) {
    for seed: UInt64 in 0..<200 {
      var ours = SplitMix64(seed: seed)
      var theirs = SplitMix64(seed: seed)
      for _ in 0..<50 {
        let x = ours.uniform(range)
        let y = Double.random(in: range, using: &theirs)
        #expect(x.bitPattern == y.bitPattern, "seed \(seed) range \(range)")
        #expect(range.contains(x))
      }
      #expect(ours.state == theirs.state, "seed \(seed): both drew the same number of words")
    }
  }

  @Test(arguments: [0.0..<1.0, -1e3..<1e3, 1.0..<1.0.nextUp, 1e-9..<2e-9])
  func halfOpenDoubleRangeMatchesStandardLibrary(range: Range<Double>) {
    for seed: UInt64 in 0..<200 {
      var ours = SplitMix64(seed: seed)
      var theirs = SplitMix64(seed: seed)
      for _ in 0..<50 {
        let x = ours.uniform(range)
        let y = Double.random(in: range, using: &theirs)
        #expect(x.bitPattern == y.bitPattern, "seed \(seed) range \(range)")
        #expect(range.contains(x))
      }
      #expect(ours.state == theirs.state, "seed \(seed)")
    }
  }

  /// Widths 1, 2, a power of two, one that rejects often (2⁶³ + 1 words are half rejected),
  /// negative bounds and the full range of `Int`.
  @Test(arguments: [
    0...0, 1...8, -5...5, 0...1023, 1...512, 0...(Int.max / 2 + 1), Int.min...Int.max,
  ])
  func closedIntRangeMatchesStandardLibrary(range: ClosedRange<Int>) {
    for seed: UInt64 in 0..<200 {
      var ours = SplitMix64(seed: seed)
      var theirs = SplitMix64(seed: seed)
      for _ in 0..<50 {
        let x = ours.int(in: range)
        #expect(x == Int.random(in: range, using: &theirs), "seed \(seed) range \(range)")
        #expect(range.contains(x))
      }
      #expect(ours.state == theirs.state, "seed \(seed)")
    }
  }

  @Test(arguments: [0..<1, 0..<3, 0..<10, -7..<7, 0..<(Int.max / 2 + 2)])
  func halfOpenIntRangeMatchesStandardLibrary(range: Range<Int>) {
    for seed: UInt64 in 0..<200 {
      var ours = SplitMix64(seed: seed)
      var theirs = SplitMix64(seed: seed)
      for _ in 0..<50 {
        let x = ours.int(in: range)
        #expect(x == Int.random(in: range, using: &theirs), "seed \(seed) range \(range)")
        #expect(range.contains(x))
      }
      #expect(ours.state == theirs.state, "seed \(seed)")
    }
  }

  @Test func coinAndShuffleMatchStandardLibrary() {
    for seed: UInt64 in 0..<500 {
      var ours = SplitMix64(seed: seed)
      var theirs = SplitMix64(seed: seed)
      for _ in 0..<20 { #expect(ours.bool() == Bool.random(using: &theirs), "seed \(seed)") }
      let n = Int(seed % 40)
      var order = Array(0..<n)
      ours.shuffle(&order)
      #expect(order == Array(0..<n).shuffled(using: &theirs), "seed \(seed)")
      #expect(order.sorted() == Array(0..<n))
      #expect(ours.state == theirs.state, "seed \(seed)")
    }
  }

  /// `below(n)` is uniform: over 60 000 draws from 0 ..< 6 each face lands within 5 σ of
  /// 10 000 (σ ≈ 91), and `below(1)` is always 0.
  @Test func belowIsUniform() {
    var g = SplitMix64(seed: 7)
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<60_000 { counts[Int(g.below(6))] += 1 }
    for c in counts { #expect(abs(c - 10_000) < 460, "\(counts)") }
    for _ in 0..<100 { #expect(g.below(1) == 0) }
  }
}
