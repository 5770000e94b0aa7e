import ConvexCore
import Foundation
import PropertyTesting
import Testing

@Suite struct GoldenSectionTests {
  @Test func quadraticMinimum() {
    let r = GoldenSection.minimize(in: 0...4) { ($0 - 1.3) * ($0 - 1.3) }
    #expect(r.status == .converged)
    #expect(abs(r.x - 1.3) <= 1e-9)
    #expect(r.value == (r.x - 1.3) * (r.x - 1.3))
  }

  @Test func bracketsTheMinimizerOfRandomUnimodalFunctions() {
    forEachInstance(seed: 51, count: 300) { i, g in
      let a = g.uniform(-1e3...1e3)
      let b = a + g.logUniform(1e-3...1e4)
      let c = g.uniform(a...b)
      let slopeL = g.logUniform(1e-3...1e3)
      let slopeR = g.logUniform(1e-3...1e3)
      let offset = g.uniform(-10...10)
      // Kinked, asymmetric, unimodal: value comparisons are exact near c.
      let f = { (x: Double) in offset + (x < c ? slopeL * (c - x) : slopeR * (x - c)) }
      let r = GoldenSection.minimize(in: a...b, f)
      let context = "seed 51 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      let width = max(1e-10 * max(abs(a), abs(b)), 1e-20 * (b - a))
      let resolution = 1e-14 * max(1, slopeL / slopeR, slopeR / slopeL) * max(abs(a), abs(b), 1)
      #expect(abs(r.x - c) <= width + resolution, "\(context): x \(r.x) vs \(c)")
      #expect(r.value == f(r.x), "\(context)")
      #expect(r.evaluations <= 304, "\(context)")
    }
  }

  @Test func minimumAtAnEndIsExact() {
    let up = GoldenSection.minimize(in: 2...5) { $0 * $0 }
    #expect(up.x == 2 && up.value == 4)
    let down = GoldenSection.minimize(in: 2...5) { -$0 }
    #expect(down.x == 5 && down.value == -5)
  }

  @Test func flatFunction() {
    let r = GoldenSection.minimize(in: -1...1) { _ in 7 }
    #expect(r.status == .converged && r.value == 7)
    #expect((-1...1).contains(r.x))
  }

  @Test func tinyAndHugeScales() {
    let tiny = GoldenSection.minimize(in: 0...1e-12) { abs($0 - 3e-13) }
    #expect(abs(tiny.x - 3e-13) <= 1e-22)
    let huge = GoldenSection.minimize(in: 1e11...1e12) { abs($0 - 7e11) }
    #expect(abs(huge.x - 7e11) <= 1e2)
    let zero = GoldenSection.minimize(in: -1...1) { abs($0) }
    #expect(zero.status == .converged && abs(zero.x) <= 1e-19)
  }

  @Test func infiniteValuesAreAllowed() {
    let r = GoldenSection.minimize(in: 0...2) { $0 <= 0 ? .infinity : $0 - log($0) }
    #expect(r.status == .converged && abs(r.x - 1) <= 1e-7)
  }

  @Test func rejectsNaNAndBadArguments() {
    #expect(!GoldenSection.minimize(in: 0...1) { _ in .nan }.status.isConverged)
    let mid = GoldenSection.minimize(in: 0...1) { $0 > 0.3 && $0 < 0.7 ? .nan : $0 }
    guard case .invalidInput = mid.status else {
      Issue.record("expected invalidInput, got \(mid.status)")
      return
    }
    let inf = GoldenSection.minimize(in: 0...Double.infinity) { $0 }
    #expect(inf.x.isNaN && !inf.status.isConverged)
    let tol = GoldenSection.minimize(in: 0...1, tolerance: 0) { $0 }
    #expect(!tol.status.isConverged)
  }

  @Test func iterationLimit() {
    let r = GoldenSection.minimize(in: 0...1, maxIterations: 3) { abs($0 - 0.3) }
    #expect(r.status == .iterationLimit && r.evaluations == 7)
  }
}
