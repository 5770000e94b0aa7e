import ConvexCore
import Foundation
import PropertyTesting
import Testing

/// S(w) = Σ clamp(p − q·w, lo, hi), written independently of the solver.
private func sum(
  _ p: [Double], _ q: [Double], _ lo: [Double], _ hi: [Double], _ w: Double
)
  -> Double
{
  var s = 0.0
  for k in p.indices { s += min(max(p[k] - q[k] * w, lo[k]), hi[k]) }
  return s
}

/// Dense bisection on w: `inf {w : S(w) <= t}` (lower) or `sup {w : S(w) >= t}` (upper),
/// over a range that contains every breakpoint.
private func referenceLevel(
  _ p: [Double], _ q: [Double], _ lo: [Double], _ hi: [Double], _ t: Double, upper: Bool
) -> Double {
  var a = -1.0
  var b = 1.0
  for k in p.indices {
    a = min(a, (p[k] - hi[k]) / q[k] - 1)
    b = max(b, (p[k] - lo[k]) / q[k] + 1)
  }
  // Beyond every breakpoint S is constant, so the set extends to infinity.
  if !upper && sum(p, q, lo, hi, a) <= t { return -.infinity }
  if upper && sum(p, q, lo, hi, b) >= t { return .infinity }
  for _ in 0..<3000 {
    let m = a + (b - a) / 2
    if !(m > a && m < b) { break }
    let s = sum(p, q, lo, hi, m)
    if upper ? s >= t : s > t { a = m } else { b = m }
  }
  return upper ? a : b
}

private struct Instance {
  var p: [Double] = []
  var q: [Double] = []
  var lo: [Double] = []
  var hi: [Double] = []
}

private func randomInstance(_ g: inout SeededGenerator, count: Int, wide: Bool) -> Instance {
  var x = Instance()
  for _ in 0..<count {
    let scale = wide ? g.logUniform(1e-6...1e6) : 1
    let l = g.uniform(-1...1) * scale
    let width = g.uniform(0...2) * scale
    x.lo.append(l)
    x.hi.append(g.uniform(0...1) < 0.1 ? l : l + width)
    x.q.append(wide ? g.logUniform(1e-3...1e3) : g.uniform(0.1...10))
    x.p.append(g.uniform(-5...5) * scale)
  }
  return x
}

@Suite struct BreakpointWaterFillingTests {
  @Test func matchesDenseBisectionOnRandomInstances() {
    var solver = BreakpointWaterFilling(capacity: 64)
    for wide in [false, true] {
      forEachInstance(seed: wide ? 32 : 31, count: 250) { i, g in
        let x = randomInstance(&g, count: 1 + i % 40, wide: wide)
        let sLo = x.lo.reduce(0, +)
        let sHi = x.hi.reduce(0, +)
        let total = sLo + g.uniform(0...1) * (sHi - sLo)
        let r = solver.solve(p: x.p, q: x.q, lo: x.lo, hi: x.hi, total: total)
        let context = "seed \(g.seed) instance \(i)"
        #expect(r.status == .converged, "\(context) \(r.status)")
        // The reference solution set, widened by the rounding of S (a few ulps of the
        // sum of magnitudes): where S is flat to rounding, every such level is a solution.
        let scale = x.lo.reduce(0) { $0 + abs($1) } + x.hi.reduce(0) { $0 + abs($1) }
        let delta = 4 * Double.ulpOfOne * scale
        let refLo = referenceLevel(x.p, x.q, x.lo, x.hi, total + delta, upper: false)
        let refHi = referenceLevel(x.p, x.q, x.lo, x.hi, total - delta, upper: true)
        let ref = referenceLevel(x.p, x.q, x.lo, x.hi, total, upper: false)
        let tol = 1e-12 * max(1, abs(ref))
        #expect(
          refLo - tol <= r.level && r.level <= refHi + tol,
          "\(context): level \(r.level) outside reference [\(refLo), \(refHi)]")
        #expect(
          r.levelRange.lowerBound >= refLo - tol && r.levelRange.upperBound <= refHi + tol,
          "\(context): range \(r.levelRange) not inside reference [\(refLo), \(refHi)]")
        let exact = referenceLevel(x.p, x.q, x.lo, x.hi, total, upper: true)
        #expect(
          r.levelRange.lowerBound <= exact + tol && ref - tol <= r.levelRange.upperBound,
          "\(context): range \(r.levelRange) misses [\(ref), \(exact)]")
        #expect(r.levelRange.contains(r.level), "\(context)")
        let s = sum(x.p, x.q, x.lo, x.hi, r.level)
        #expect(abs(s - total) <= 1e-12 * max(scale, 1e-300), "\(context): S = \(s) vs \(total)")
        #expect(abs(r.sumAtLevel - total) <= 1e-12 * max(scale, 1e-300), "\(context)")
      }
    }
  }

  @Test func levelIsSmallestMagnitudeSolution() {
    var solver = BreakpointWaterFilling(capacity: 16)
    forEachInstance(seed: 33, count: 200) { i, g in
      let x = randomInstance(&g, count: 1 + i % 10, wide: false)
      let total = [x.lo.reduce(0, +), x.hi.reduce(0, +)][i % 2]
      let r = solver.solve(p: x.p, q: x.q, lo: x.lo, hi: x.hi, total: total)
      let context = "seed 33 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      #expect(r.levelRange.contains(r.level), "\(context)")
      let range = r.levelRange
      if range.contains(0) {
        #expect(r.level == 0, "\(context)")
      } else {
        #expect(
          r.level == (range.lowerBound > 0 ? range.lowerBound : range.upperBound), "\(context)")
      }
      // At the sum bounds the solution interval is unbounded on one side.
      if i % 2 == 0 {
        #expect(range.upperBound == .infinity, "\(context)")
      } else {
        #expect(range.lowerBound == -.infinity, "\(context)")
      }
    }
  }

  @Test func totalExactlyAtABreakpoint() {
    // total = S(b) for a breakpoint b: the level interval must contain b.
    var solver = BreakpointWaterFilling(capacity: 16)
    forEachInstance(seed: 35, count: 200) { i, g in
      var x = randomInstance(&g, count: 1 + i % 12, wide: false)
      // Integer data keep S(b) exact, so b is exactly a solution.
      x.p = x.p.map { $0.rounded() }
      x.q = x.q.map { _ in 1 }
      x.lo = x.lo.map { ($0 * 4).rounded(.down) }
      x.hi = zip(x.lo, x.hi).map { max($0, ($1 * 4).rounded(.up)) }
      let k = i % x.p.count
      let b = i % 2 == 0 ? x.p[k] - x.hi[k] : x.p[k] - x.lo[k]
      let total = sum(x.p, x.q, x.lo, x.hi, b)
      let r = solver.solve(p: x.p, q: x.q, lo: x.lo, hi: x.hi, total: total)
      let context = "seed 35 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      #expect(r.levelRange.contains(b), "\(context): \(b) not in \(r.levelRange)")
      #expect(r.sumAtLevel == total, "\(context)")
    }
  }

  @Test func analyticPiecesAndBreakpoints() {
    var solver = BreakpointWaterFilling(capacity: 2)
    let p = [2.0, 4.0]
    let q = [1.0, 1.0]
    let lo = [0.0, 0.0]
    let hi = [1.0, 1.0]
    let inside = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 1.5)
    #expect(inside.status == .converged && inside.level == 1.5 && inside.levelRange == 1.5...1.5)
    let flat = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 1)
    #expect(flat.levelRange == 2...3 && flat.level == 2)
    let atBreakpoint = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 0.5)
    #expect(atBreakpoint.level == 3.5)
    let top = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 2)
    #expect(top.levelRange == -Double.infinity...1 && top.level == 0)
    let bottom = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 0)
    #expect(bottom.levelRange == 4...Double.infinity && bottom.level == 4)
  }

  @Test func oneVariable() {
    var solver = BreakpointWaterFilling(capacity: 1)
    let r = solver.solve(p: [10], q: [2], lo: [-1], hi: [7], total: 4)
    #expect(r.status == .converged && r.level == 3 && r.sumAtLevel == 4)
    let fixed = solver.solve(p: [10], q: [2], lo: [3], hi: [3], total: 3)
    #expect(fixed.levelRange == -Double.infinity...Double.infinity && fixed.level == 0)
  }

  @Test func emptyInput() {
    var solver = BreakpointWaterFilling(capacity: 0)
    let r = solver.solve(p: [], q: [], lo: [], hi: [], total: 0)
    #expect(r.status == .converged && r.level == 0)
    let bad = solver.solve(p: [], q: [], lo: [], hi: [], total: 1)
    guard case .infeasible = bad.status else {
      Issue.record("expected infeasible, got \(bad.status)")
      return
    }
  }

  @Test func infeasibleTotals() {
    var solver = BreakpointWaterFilling(capacity: 2)
    let above = solver.solve(p: [1, 2], q: [1, 1], lo: [0, 0], hi: [1, 1], total: 2.5)
    #expect(above.level == -.infinity && above.sumAtLevel == 2)
    let below = solver.solve(p: [1, 2], q: [1, 1], lo: [0, 0], hi: [1, 1], total: -0.1)
    #expect(below.level == .infinity && below.sumAtLevel == 0)
    for r in [above, below] {
      guard case .infeasible = r.status else {
        Issue.record("expected infeasible, got \(r.status)")
        continue
      }
    }
  }

  @Test func absurdCapacityDoesNotTrap() {
    var solver = BreakpointWaterFilling(capacity: Int.max)
    #expect(solver.capacity == 1 << 20)
    #expect(solver.solve(p: [1], q: [1], lo: [0], hi: [1], total: 0.5).level == 0.5)
    #expect(BreakpointWaterFilling(capacity: -5).capacity == 0)
  }

  @Test func rejectsMalformedInput() {
    var solver = BreakpointWaterFilling(capacity: 2)
    let cases: [(p: [Double], q: [Double], lo: [Double], hi: [Double], total: Double)] = [
      ([1, 2], [1], [0, 0], [1, 1], 1),
      ([1, 2], [1, 1], [0], [1, 1], 1),
      ([1, 2], [1, 1], [0, 0], [1, 1, 1], 1),
      ([.nan, 2], [1, 1], [0, 0], [1, 1], 1),
      ([1, 2], [1, .infinity], [0, 0], [1, 1], 1),
      ([1, 2], [1, 0], [0, 0], [1, 1], 1),
      ([1, 2], [1, -1], [0, 0], [1, 1], 1),
      ([1, 2], [1, 1], [0, 2], [1, 1], 1),
      ([1, 2], [1, 1], [-.infinity, 0], [1, 1], 1),
      ([1, 2], [1, 1], [0, 0], [1, 1], .nan),
      ([1, 2], [1, 1], [0, 0], [1, 1], .infinity),
      ([1e300, 2], [1e-300, 1], [0, 0], [1, 1], 1),
    ]
    for (i, c) in cases.enumerated() {
      let r = solver.solve(p: c.p, q: c.q, lo: c.lo, hi: c.hi, total: c.total)
      guard case .invalidInput = r.status else {
        Issue.record("case \(i): expected invalidInput, got \(r.status)")
        continue
      }
      #expect(r.level.isNaN, "case \(i)")
    }
  }

  @Test func dataFrom1eMinus12To1e12() {
    var solver = BreakpointWaterFilling(capacity: 3)
    let p = [1e12, 1e-12, 1.0]
    let q = [1e-12, 1e12, 1.0]
    let lo = [0.0, 0.0, 0.0]
    let hi = [1e12, 1e-12, 1.0]
    let total = 5e11
    let r = solver.solve(p: p, q: q, lo: lo, hi: hi, total: total)
    #expect(r.status == .converged)
    let s = sum(p, q, lo, hi, r.level)
    #expect(abs(s - total) <= 1e-12 * 1e12)
    let ref = referenceLevel(p, q, lo, hi, total, upper: false)
    #expect(r.levelRange.lowerBound - 1e-12 * abs(ref) <= ref)
    #expect(ref <= r.levelRange.upperBound + 1e-12 * abs(ref))
  }

  @Test func invariantUnderRescaling() {
    // Multiplying p, q, lo, hi and total by c leaves the level unchanged.
    var solver = BreakpointWaterFilling(capacity: 8)
    forEachInstance(seed: 34, count: 200) { i, g in
      let x = randomInstance(&g, count: 1 + i % 8, wide: false)
      let total = x.lo.reduce(0, +) + g.uniform(0.1...0.9) * (x.hi.reduce(0, +) - x.lo.reduce(0, +))
      let c = g.logUniform(1e-6...1e6)
      let a = solver.solve(p: x.p, q: x.q, lo: x.lo, hi: x.hi, total: total)
      let b = solver.solve(
        p: x.p.map { $0 * c }, q: x.q.map { $0 * c }, lo: x.lo.map { $0 * c },
        hi: x.hi.map { $0 * c }, total: total * c)
      let context = "seed 34 instance \(i) c \(c)"
      #expect(a.status == .converged && b.status == .converged, "\(context)")
      #expect(abs(a.level - b.level) <= 1e-9 * max(1, abs(a.level)), "\(context)")
    }
  }

  @Test func unsafeBufferOverloadAgreesAndGrowsWorkspace() {
    var solver = BreakpointWaterFilling(capacity: 1)
    #expect(solver.capacity == 1)
    let p = [3.0, 1.0, 2.0]
    let q = [1.0, 2.0, 0.5]
    let lo = [0.0, -1.0, 0.0]
    let hi = [2.0, 1.0, 4.0]
    let array = solver.solve(p: p, q: q, lo: lo, hi: hi, total: 3)
    let buffer = p.withUnsafeBufferPointer { p in
      q.withUnsafeBufferPointer { q in
        lo.withUnsafeBufferPointer { lo in
          hi.withUnsafeBufferPointer { hi in
            solver.solve(p: p, q: q, lo: lo, hi: hi, total: 3)
          }
        }
      }
    }
    #expect(array.level == buffer.level && array.levelRange == buffer.levelRange)
    #expect(solver.capacity >= 3)
  }
}
