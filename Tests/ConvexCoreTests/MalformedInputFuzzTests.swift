import ConvexCore
import Foundation
import PropertyTesting
import Testing

/// Values that break naive numerical code.
private let palette: [Double] = [
  .nan, .infinity, -.infinity, 0, -0.0, 1, -1, 1e308, -1e308, 1e-308, .leastNonzeroMagnitude, 1e-12,
  1e12,
  .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
]

private func nasty(_ g: inout SeededGenerator) -> Double {
  g.uniform(0...1) < 0.5 ? palette[Int(g.next() % UInt64(palette.count))] : g.uniform(-5...5)
}

/// A range from two values when one can be formed (ClosedRange itself traps on NaN).
private func range(_ a: Double, _ b: Double) -> ClosedRange<Double>? {
  if a.isNaN || b.isNaN { return nil }
  return min(a, b)...max(a, b)
}

/// No solver traps on hostile input, and none reports convergence with a NaN answer.
@Suite struct MalformedInputFuzzTests {
  @Test func rootFindersAndGoldenSection() {
    forEachInstance(seed: 81, count: 400) { i, g in
      guard let r = range(nasty(&g), nasty(&g)) else { return }
      let c = nasty(&g)
      let s = nasty(&g)
      let f = { (x: Double) in s * (x - c) }
      let context = "seed 81 instance \(i) bracket \(r) c \(c) s \(s)"
      let b = Bisection.solve(in: r, xTolerance: abs(nasty(&g)), f)
      #expect(!(b.status.isConverged && b.root.isNaN), "\(context)")
      let n = SafeguardedNewton.solve(in: r, start: nasty(&g)) { x in (f(x), s) }
      #expect(!(n.status.isConverged && n.root.isNaN), "\(context)")
      if n.status.isConverged { #expect(r.contains(n.root), "\(context)") }
      let m = GoldenSection.minimize(in: r, tolerance: abs(nasty(&g))) { x in abs(f(x)) }
      #expect(!(m.status.isConverged && (m.x.isNaN || m.value.isNaN)), "\(context)")
    }
  }

  @Test func waterFilling() {
    var solver = BreakpointWaterFilling(capacity: 4)
    forEachInstance(seed: 82, count: 400) { i, g in
      let k = Int(g.next() % 4)
      let lengths = (0..<4).map { _ in g.uniform(0...1) < 0.9 ? k : Int(g.next() % 4) }
      let p = (0..<lengths[0]).map { _ in nasty(&g) }
      let q = (0..<lengths[1]).map { _ in nasty(&g) }
      let lo = (0..<lengths[2]).map { _ in nasty(&g) }
      let hi = (0..<lengths[3]).map { _ in nasty(&g) }
      let total = nasty(&g)
      let context = "seed 82 instance \(i)"
      let r = solver.solve(p: p, q: q, lo: lo, hi: hi, total: total)
      if r.status.isConverged {
        #expect(!r.level.isNaN && r.levelRange.contains(r.level), "\(context)")
      }
      let w = LevelWaterFilling.solve(lower: lo, upper: hi, total: total) { j, x in
        j < q.count ? q[j] * x : x
      }
      if w.status.isConverged {
        #expect(w.allocation.allSatisfy { !$0.isNaN }, "\(context)")
        #expect(w.allocation.count == lo.count, "\(context)")
      }
    }
  }

  @Test func dinkelbachAndSubgradient() {
    forEachInstance(seed: 83, count: 400) { i, g in
      let a = nasty(&g)
      let b = nasty(&g)
      let x0 = nasty(&g)
      let context = "seed 83 instance \(i)"
      let d = Dinkelbach.maximize(
        start: x0, maxIterations: 20, ratio: { x in (a * x, 1 + b * x * x) },
        parametric: { lambda in a / (2 * lambda * b) })
      #expect(!(d.status.isConverged && d.ratio.isNaN), "\(context)")
      let s = ProjectedSubgradient.minimize(
        start: [x0], step: i % 2 == 0 ? .diminishing(scale: a) : .polyak(target: b),
        maxIterations: 50, lowerBound: i % 3 == 0 ? b : nil,
        objective: { x in (abs(x[0] - a), [x[0] > a ? 1 : -1]) },
        project: { x in x[0] = min(max(x[0], -1), 1) })
      #expect(!(s.status.isConverged && s.bestValue.isNaN), "\(context)")
    }
  }
}
