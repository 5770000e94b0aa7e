import ConvexCore
import Foundation
import PropertyTesting
import Testing

/// max (a·sqrt(x) + b)/(c + d·x²) over [lo, hi]: the parametric problem is concave in x
/// with the closed-form maximizer (a/(4λd))^(2/3), clamped.
private struct SqrtOverQuadratic {
  var a, b, c, d, lo, hi: Double

  func ratio(_ x: Double) -> (numerator: Double, denominator: Double) {
    (a * x.squareRoot() + b, c + d * x * x)
  }

  func parametric(_ lambda: Double) -> Double {
    if !(lambda > 0) { return hi }
    return min(max(pow(a / (4 * lambda * d), 2.0 / 3), lo), hi)
  }
}

@Suite struct DinkelbachTests {
  @Test func analyticOptimum() {
    let p = SqrtOverQuadratic(a: 1, b: 0, c: 1, d: 1, lo: 0, hi: 10)
    let r = Dinkelbach.maximize(start: 0.0, ratio: p.ratio, parametric: p.parametric)
    #expect(r.status == .converged)
    let xStar = 1 / 3.0.squareRoot()
    #expect(abs(r.maximizer - xStar) <= 1e-7)
    let best = p.ratio(xStar)
    #expect(abs(r.ratio - best.numerator / best.denominator) <= 1e-15)
    #expect(r.certificate <= 1e-14)
    #expect(r.iterations <= 10)
  }

  @Test func agreesWithGoldenSectionOnTheRatio() {
    forEachInstance(seed: 61, count: 250) { i, g in
      let lo = g.uniform(0...1) < 0.3 ? 0 : g.logUniform(1e-3...1)
      let p = SqrtOverQuadratic(
        a: g.logUniform(1e-3...1e3), b: g.uniform(0...1) < 0.5 ? 0 : g.logUniform(1e-3...1e3),
        c: g.logUniform(1e-3...1e3), d: g.logUniform(1e-3...1e3), lo: lo,
        hi: lo + g.logUniform(1e-2...1e2))
      let start = g.uniform(p.lo...p.hi)
      let r = Dinkelbach.maximize(start: start, ratio: p.ratio, parametric: p.parametric)
      let context = "seed 61 instance \(i)"
      #expect(r.status == .converged, "\(context) \(r.status)")
      #expect(r.iterations <= 20, "\(context) iterations \(r.iterations)")
      #expect((p.lo...p.hi).contains(r.maximizer), "\(context)")
      let value = p.ratio(r.maximizer)
      #expect(r.ratio == value.numerator / value.denominator, "\(context)")
      let gs = GoldenSection.minimize(in: p.lo...p.hi, tolerance: 1e-12) { x in
        let v = p.ratio(x)
        return -v.numerator / v.denominator
      }
      #expect(r.ratio >= -gs.value * (1 - 1e-13), "\(context): \(r.ratio) < \(-gs.value)")
      #expect(abs(r.ratio + gs.value) <= 1e-9 * r.ratio, "\(context)")
      #expect(r.certificate <= 1e-14 * max(1, value.numerator), "\(context)")
      // λ increases strictly along the trace until the last step.
      for j in 1..<max(1, r.trace.count) {
        #expect(r.trace[j].lambda > r.trace[j - 1].lambda, "\(context) step \(j)")
      }
    }
  }

  @Test func vectorPoints() {
    // max a·x/(1 + |x|²) over ℝⁿ: x* = a/|a|, ratio |a|/2.
    forEachInstance(seed: 62, count: 200) { i, g in
      let n = 1 + i % 6
      let a = (0..<n).map { _ in g.uniform(-3...3) }
      let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let r = Dinkelbach.maximize(
        start: a.map { 0.01 * $0 },
        ratio: { x in
          (zip(a, x).reduce(0) { $0 + $1.0 * $1.1 }, 1 + x.reduce(0) { $0 + $1 * $1 })
        },
        parametric: { lambda in a.map { $0 / (2 * lambda) } })
      let context = "seed 62 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      #expect(abs(r.ratio - norm / 2) <= 1e-12 * max(1, norm), "\(context)")
    }
  }

  @Test func startAlreadyOptimal() {
    let p = SqrtOverQuadratic(a: 1, b: 0, c: 1, d: 1, lo: 0, hi: 10)
    let r = Dinkelbach.maximize(
      start: 1 / 3.0.squareRoot(), ratio: p.ratio, parametric: p.parametric)
    #expect(r.status == .converged && r.iterations == 1)
  }

  @Test func constantRatio() {
    let r = Dinkelbach.maximize(
      start: 1.0, ratio: { x in (2 * x, x) }, parametric: { _ in 3.0 })
    #expect(r.status == .converged && r.ratio == 2 && r.certificate == 0)
  }

  @Test func iterationLimit() {
    let p = SqrtOverQuadratic(a: 1, b: 0, c: 1, d: 1, lo: 0, hi: 10)
    let r = Dinkelbach.maximize(
      start: 10.0, maxIterations: 1, ratio: p.ratio, parametric: p.parametric)
    #expect(r.status == .iterationLimit && r.iterations == 1 && r.trace.count == 1)
    #expect(r.ratio > p.ratio(10).numerator / p.ratio(10).denominator)
  }

  @Test func rejectsBadRatiosAndArguments() {
    let zeroD = Dinkelbach.maximize(
      start: 0.0, ratio: { _ in (1, 0) }, parametric: { _ in 0.0 })
    let nanN = Dinkelbach.maximize(
      start: 0.0, ratio: { _ in (.nan, 1) }, parametric: { _ in 0.0 })
    let laterNaN = Dinkelbach.maximize(
      start: 1.0, ratio: { x in x > 1 ? (.nan, 1) : (x, 1) }, parametric: { _ in 2.0 })
    let badTolerance = Dinkelbach.maximize(
      start: 1.0, tolerance: -1, ratio: { x in (x, 1) }, parametric: { _ in 2.0 })
    for (i, r) in [zeroD, nanN, laterNaN, badTolerance].enumerated() {
      guard case .invalidInput = r.status else {
        Issue.record("case \(i): expected invalidInput, got \(r.status)")
        continue
      }
    }
    #expect(laterNaN.maximizer == 1 && laterNaN.ratio == 1)
  }
}
