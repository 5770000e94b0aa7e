import ConvexCore
import Foundation
import PropertyTesting
import Testing

@Suite struct SafeguardedNewtonTests {
  @Test func quadraticConvergenceOnSquareRoot() {
    var evaluations = 0
    let r = SafeguardedNewton.solve(in: 1...2) { x in
      evaluations += 1
      return (x * x - 2, 2 * x)
    }
    #expect(r.status == .converged)
    #expect(abs(r.root - 2.0.squareRoot()) <= 4e-16)
    #expect(r.bracket.contains(2.0.squareRoot()) || r.stopReason == .exactZero)
    #expect(evaluations <= 10)
  }

  @Test func convexDecreasingPoleLikeRandomInstances() {
    // f(T) = Σ d_k/(T − m_k) − 1: convex, decreasing, the downlink equation's shape.
    forEachInstance(seed: 21, count: 300) { i, g in
      let k = 1 + i % 8
      let d = (0..<k).map { _ in g.logUniform(1e-4...1e2) }
      let m = (0..<k).map { _ in g.logUniform(1e-4...1e2) }
      let mMax = m.max() ?? 0
      func f(_ t: Double) -> (value: Double, derivative: Double) {
        var v = -1.0
        var dv = 0.0
        for j in 0..<k {
          v += d[j] / (t - m[j])
          dv -= d[j] / ((t - m[j]) * (t - m[j]))
        }
        return (v, dv)
      }
      let hi = mMax + d.reduce(0, +) + 1
      let lo = mMax + 1e-12 * max(1, mMax)
      let context = "seed 21 instance \(i)"
      let r = SafeguardedNewton.solve(in: lo...hi, f)
      #expect(r.status == .converged, "\(context) \(r.status)")
      // Near the pole Newton gains a factor of about two per step; far from it, quadratic.
      #expect(r.iterations <= 40, "\(context) iterations \(r.iterations)")
      let width = r.bracket.upperBound - r.bracket.lowerBound
      #expect(width <= 1e-14 * r.bracket.upperBound || r.stopReason == .exactZero, "\(context)")
      #expect(r.bracket.lowerBound >= lo && r.bracket.upperBound <= hi, "\(context)")
      let b = Bisection.solve(in: lo...hi, xTolerance: 0, maxIterations: 2000) { f($0).value }
      #expect(abs(r.root - b.root) <= 1e-13 * b.root, "\(context) \(r.root) vs \(b.root)")
    }
  }

  @Test func neverLeavesBracketWhenNewtonWouldDiverge() {
    // atan: Newton from far away diverges; the safeguard must bisect.
    var visited: [Double] = []
    let r = SafeguardedNewton.solve(in: -10...30, start: 25) { x in
      visited.append(x)
      return (atan(x - 1), 1 / (1 + (x - 1) * (x - 1)))
    }
    #expect(r.status == .converged)
    #expect(abs(r.root - 1) <= 1e-14)
    #expect(visited.allSatisfy { (-10...30).contains($0) })
  }

  @Test func zeroDerivativeFallsBackToBisection() {
    // A root at 0 with a relative tolerance is reached by underflow to an exact zero.
    let r = SafeguardedNewton.solve(in: -1...2, maxIterations: 2000) { x in (x * x * x, 0) }
    #expect(r.status == .converged)
    #expect(abs(r.root) <= 1e-100)
    let s = SafeguardedNewton.solve(in: 0.5...2) { x in (x * x * x - 1, 0) }
    #expect(s.status == .converged && abs(s.root - 1) <= 1e-14)
  }

  @Test func noSignChangeAndFlat() {
    let r = SafeguardedNewton.solve(in: 0...1) { _ in (1, 0) }
    #expect(r.stopReason == .noSignChange)
    #expect(!r.status.isConverged)
  }

  @Test func rejectsNaN() {
    #expect(SafeguardedNewton.solve(in: 0...1) { _ in (.nan, 1) }.stopReason == .invalidInput)
    let d = SafeguardedNewton.solve(in: -1...1) { x in (x - 0.3, x > 0 ? .nan : 1) }
    #expect(d.stopReason == .invalidInput)
    let s = SafeguardedNewton.solve(in: -1...1, start: .nan) { x in (x, 1) }
    #expect(s.stopReason == .invalidInput)
    let b = SafeguardedNewton.solve(in: -Double.infinity...1) { x in (x, 1) }
    #expect(b.stopReason == .invalidInput)
  }

  @Test func exactZeroAndFTolerance() {
    let z = SafeguardedNewton.solve(in: -1...3) { x in (2 * x - 2, 2) }
    #expect(z.stopReason == .exactZero && z.root == 1)
    let f = SafeguardedNewton.solve(in: 0...10, fTolerance: 1e-2) { x in (exp(x) - 5, exp(x)) }
    #expect(f.status == .converged && abs(f.value) <= 1e-2)
  }

  @Test func wideDynamicRange() {
    let small = SafeguardedNewton.solve(in: 1e-13...1e-11) { x in (x * x - 4e-24, 2 * x) }
    #expect(abs(small.root - 2e-12) <= 1e-26)
    let big = SafeguardedNewton.solve(in: 1e10...1e13) { x in (x * x - 1e24, 2 * x) }
    #expect(abs(big.root - 1e12) <= 1e-2)
  }

  @Test func iterationLimit() {
    let r = SafeguardedNewton.solve(in: -1...2, maxIterations: 2) { x in (x * x * x, 0) }
    #expect(r.status == .iterationLimit && r.iterations == 2)
    #expect(r.bracket.contains(0))
  }
}
