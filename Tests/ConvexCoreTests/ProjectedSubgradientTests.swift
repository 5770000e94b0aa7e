import ConvexCore
import Foundation
import PropertyTesting
import Testing

/// f(x) = Σ|x_i − c_i| with a subgradient.
private func l1(_ c: [Double]) -> ([Double]) -> (value: Double, subgradient: [Double]) {
  { x in
    var value = 0.0
    var g = [Double](repeating: 0, count: x.count)
    for i in x.indices {
      value += abs(x[i] - c[i])
      g[i] = x[i] > c[i] ? 1 : (x[i] < c[i] ? -1 : 0)
    }
    return (value, g)
  }
}

/// Projection onto the unit box [0, 1]ⁿ.
private func unitBox(_ x: inout [Double]) {
  for i in x.indices { x[i] = min(max(x[i], 0), 1) }
}

@Suite struct ProjectedSubgradientTests {
  @Test func polyakStepReachesTheCertifiedGap() {
    forEachInstance(seed: 71, count: 200) { i, g in
      let n = 1 + i % 5
      let c = (0..<n).map { _ in g.uniform(-2...3) }
      // f* = distance of c to the box in ℓ1.
      let fStar = c.reduce(0) { $0 + max(0, -$1, $1 - 1) }
      let start = (0..<n).map { _ in g.uniform(0...1) }
      let r = ProjectedSubgradient.minimize(
        start: start, step: .polyak(target: fStar), maxIterations: 5000, lowerBound: fStar,
        gapTolerance: 1e-9, objective: l1(c), project: unitBox)
      let context = "seed 71 instance \(i)"
      #expect(r.status == .converged, "\(context) \(r.status) gap \(r.gap ?? .nan)")
      #expect(r.best.allSatisfy { (0...1).contains($0) }, "\(context)")
      #expect(r.bestValue == l1(c)(r.best).value, "\(context)")
      #expect(r.gap == r.bestValue - fStar, "\(context)")
      #expect((r.gap ?? 1) <= 1e-9, "\(context)")
      #expect(r.history.count == r.evaluations, "\(context)")
      #expect(zip(r.history, r.history.dropFirst()).allSatisfy { $0 >= $1 }, "\(context)")
      #expect(r.history.last == r.bestValue, "\(context)")
    }
  }

  @Test func diminishingStepApproachesTheOptimum() {
    forEachInstance(seed: 72, count: 200) { i, g in
      let n = 1 + i % 4
      let c = (0..<n).map { _ in g.uniform(0...1) }
      let r = ProjectedSubgradient.minimize(
        start: (0..<n).map { _ in g.uniform(0...1) }, step: .diminishing(scale: 0.5),
        maxIterations: 400, objective: l1(c), project: unitBox)
      let context = "seed 72 instance \(i)"
      // No lower bound: no stopping test, the budget runs out.
      #expect(r.status == .iterationLimit, "\(context)")
      #expect(r.lowerBound == nil && r.gap == nil, "\(context)")
      #expect(r.evaluations == 400 && r.history.count == 400, "\(context)")
      #expect(r.bestValue <= 0.05 * Double(n), "\(context) best \(r.bestValue)")
      #expect(r.best.allSatisfy { (0...1).contains($0) }, "\(context)")
    }
  }

  @Test func smoothQuadraticWithDiminishingStepAndBound() {
    // f = |x − (2, 2)|² over the unit box: x* = (1, 1), f* = 2.
    let r = ProjectedSubgradient.minimize(
      start: [0, 0], step: .diminishing(scale: 1), lowerBound: 2, gapTolerance: 1e-6,
      objective: { x in
        let d = [x[0] - 2, x[1] - 2]
        return (d[0] * d[0] + d[1] * d[1], [2 * d[0], 2 * d[1]])
      }, project: unitBox)
    #expect(r.status == .converged && r.best == [1, 1] && r.gap == 0)
  }

  @Test func startIsProjectedFirst() {
    let r = ProjectedSubgradient.minimize(
      start: [5, -3], step: .polyak(target: 0), maxIterations: 1, objective: l1([0.5, 0.5]),
      project: unitBox)
    #expect(r.best == [1, 0] && r.bestValue == 1)
  }

  @Test func zeroSubgradientAndEmptyInput() {
    let flat = ProjectedSubgradient.minimize(
      start: [0.3], step: .diminishing(scale: 1), objective: { _ in (4, [0]) },
      project: unitBox)
    #expect(flat.status == .converged && flat.evaluations == 1 && flat.best == [0.3])
    let empty = ProjectedSubgradient.minimize(
      start: [], step: .diminishing(scale: 1), objective: { _ in (0, []) }, project: { _ in })
    #expect(empty.status == .converged && empty.best.isEmpty)
  }

  @Test func polyakTargetReached() {
    let r = ProjectedSubgradient.minimize(
      start: [0.9], step: .polyak(target: 0.5), objective: l1([0.2]), project: unitBox)
    #expect(r.status == .converged && r.bestValue <= 0.5)
  }

  @Test func wideDynamicRange() {
    let c = [1e-12, 1e12]
    let r = ProjectedSubgradient.minimize(
      start: [0, 0], step: .polyak(target: 0), maxIterations: 200, lowerBound: 0,
      gapTolerance: 1e-3, objective: l1(c), project: { _ in })
    #expect(r.status == .converged && (r.gap ?? 1) <= 1e-3)
  }

  @Test func hugeSubgradientsDoNotStall() {
    // f(x) = 1e200·|x − 0.25|: |g|² overflows, the normalized step must not.
    let r = ProjectedSubgradient.minimize(
      start: [1], step: .diminishing(scale: 0.5), maxIterations: 200,
      objective: { x in (1e200 * abs(x[0] - 0.25), [x[0] > 0.25 ? 1e200 : -1e200]) },
      project: unitBox)
    #expect(abs(r.best[0] - 0.25) <= 0.05)
    let polyak = ProjectedSubgradient.minimize(
      start: [1], step: .polyak(target: 0), maxIterations: 5, lowerBound: 0,
      objective: { x in (1e200 * abs(x[0] - 0.25), [x[0] > 0.25 ? 1e200 : -1e200]) },
      project: unitBox)
    #expect(polyak.status == .converged && polyak.best == [0.25])
  }

  @Test func rejectsMalformedInputAndOracles() {
    let o = l1([0.5, 0.5])
    let results = [
      ProjectedSubgradient.minimize(
        start: [.nan, 0], step: .diminishing(scale: 1), objective: o, project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .diminishing(scale: 0), objective: o, project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .diminishing(scale: .infinity), objective: o, project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: .nan), objective: o, project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), maxIterations: 0, objective: o,
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), lowerBound: .nan, objective: o,
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), gapTolerance: -1, objective: o,
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), objective: { _ in (.nan, [1, 1]) },
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), objective: { _ in (1, [1]) },
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), objective: { _ in (1, [1, .infinity]) },
        project: unitBox),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), objective: o, project: { $0.append(1) }),
      ProjectedSubgradient.minimize(
        start: [0, 0], step: .polyak(target: 0), objective: o, project: { $0[0] = .nan }),
    ]
    for (i, r) in results.enumerated() {
      guard case .invalidInput = r.status else {
        Issue.record("case \(i): expected invalidInput, got \(r.status)")
        continue
      }
    }
  }
}
