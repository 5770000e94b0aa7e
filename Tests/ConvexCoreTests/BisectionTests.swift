import ConvexCore
import Foundation
import PropertyTesting
import Testing

@Suite struct BisectionTests {
  @Test func findsSquareRootOfTwo() {
    let r = Bisection.solve(in: 0...2) { $0 * $0 - 2 }
    #expect(r.status == .converged)
    #expect(r.stopReason == .xTolerance)
    #expect(abs(r.root - 2.0.squareRoot()) <= 1e-12)
    #expect(r.bracket.contains(2.0.squareRoot()))
    #expect(r.bracket.upperBound - r.bracket.lowerBound <= 1e-12)
    #expect(r.value == r.root * r.root - 2)
  }

  @Test func keepsSignChangeOnRandomMonotoneFunctions() {
    forEachInstance(seed: 11, count: 300) { i, g in
      let root = g.uniform(-1e3...1e3)
      let scale = g.logUniform(1e-6...1e6)
      let power = [1.0, 3.0, 5.0][i % 3]
      let f = { (x: Double) in scale * pow(x - root, power) }
      let lo = root - g.logUniform(1e-3...1e4)
      let hi = root + g.logUniform(1e-3...1e4)
      let tol = 1e-9 * max(1, abs(root))
      let r = Bisection.solve(in: lo...hi, xTolerance: tol) { f($0) }
      let context = "seed 11 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      #expect(r.bracket.contains(r.root), "\(context)")
      #expect(r.bracket.contains(root) || r.stopReason == .exactZero, "\(context)")
      #expect(abs(r.root - root) <= tol + 1e-9, "\(context)")
      #expect(r.iterations <= 200, "\(context)")
    }
  }

  @Test func reportsNoSignChange() {
    let r = Bisection.solve(in: -1...1) { $0 * $0 + 1 }
    #expect(r.stopReason == .noSignChange)
    guard case .infeasible = r.status else {
      Issue.record("expected infeasible, got \(r.status)")
      return
    }
    #expect(r.root == -1 || r.root == 1)
  }

  @Test func exactZeroAtEndAndMiddle() {
    let a = Bisection.solve(in: 0...1) { $0 }
    #expect(a.status == .converged && a.stopReason == .exactZero && a.root == 0)
    let m = Bisection.solve(in: -1...1) { $0 }
    #expect(m.stopReason == .exactZero && m.root == 0 && m.bracket == 0...0)
  }

  @Test func fToleranceStopsEarly() {
    let r = Bisection.solve(in: 0...10, fTolerance: 1e-3) { $0 - 3 }
    #expect(r.status == .converged && r.stopReason == .fTolerance)
    #expect(abs(r.value) <= 1e-3)
  }

  @Test func zeroToleranceStopsAtAdjacentDoubles() {
    let r = Bisection.solve(in: 1...2, xTolerance: 0, maxIterations: 2000) { $0 * $0 - 2 }
    #expect(r.status == .converged)
    #expect(r.bracket.lowerBound.nextUp == r.bracket.upperBound || r.stopReason == .exactZero)
  }

  @Test func iterationLimitKeepsBracket() {
    let r = Bisection.solve(in: 0...1, maxIterations: 5) { $0 - 1.0 / 3 }
    #expect(r.status == .iterationLimit && r.stopReason == .iterationLimit)
    #expect(r.iterations == 5)
    #expect(r.bracket.contains(1.0 / 3))
  }

  @Test func wideDynamicRange() {
    let tiny = Bisection.solve(in: 0...1e-12, xTolerance: 1e-26) { $0 - 3e-13 }
    #expect(abs(tiny.root - 3e-13) <= 1e-26)
    let huge = Bisection.solve(in: 1e11...1e12, xTolerance: 1e-3) { $0 - 7e11 }
    #expect(abs(huge.root - 7e11) <= 1e-3)
  }

  @Test func rejectsNaNAndInfinity() {
    #expect(Bisection.solve(in: 0...1) { _ in .nan }.stopReason == .invalidInput)
    #expect(Bisection.solve(in: 0...1) { $0 < 0.5 ? -1 : .nan }.stopReason == .invalidInput)
    let inf = Bisection.solve(in: 0...Double.infinity) { $0 - 1 }
    #expect(inf.stopReason == .invalidInput)
    #expect(!inf.status.isConverged)
    let tol = Bisection.solve(in: 0...1, xTolerance: .nan) { $0 - 0.5 }
    #expect(tol.stopReason == .invalidInput)
    let neg = Bisection.solve(in: 0...1, maxIterations: -1) { $0 - 0.5 }
    #expect(neg.stopReason == .invalidInput)
  }

  @Test func infiniteValuesCountBySign() {
    let r = Bisection.solve(in: 0...2) { $0 == 0 ? -.infinity : log($0) }
    #expect(r.status == .converged)
    #expect(abs(r.root - 1) <= 1e-12)
  }

  @Test func flatFunctionHasNoSignChange() {
    let r = Bisection.solve(in: 0...1) { _ in 2 }
    #expect(r.stopReason == .noSignChange)
  }
}
