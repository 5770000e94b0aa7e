import ConvexCore
import Testing

// The Swift code of the ConvexCore DocC articles (DocC/ConvexCore.docc), compiled and
// run, with what the articles claim about it checked. `DocumentationCodeBlockTests` (in
// FEELTests) fails when an article's block is missing here, so keep each block verbatim
// (whitespace aside) and put the checks after it.

@Suite struct DocumentationExampleTests {
  // MARK: ConvexCore.md (landing page)

  @Test func landingPageCubeRoot() {
    let cubeRoot = SafeguardedNewton.solve(in: 0...2) { x in (x * x * x - 2, 3 * x * x) }
    // cubeRoot.status == .converged, cubeRoot.root ≈ 1.2599210498948732
    #expect(cubeRoot.status == .converged)
    #expect(abs(cubeRoot.root - 1.259_921_049_894_873_2) <= 4e-16)
  }

  // MARK: RootFindingByBisection.md

  @Test func bisectionFindsSquareRootOfTwoAndReportsNoSignChange() {
    let sqrtTwo = Bisection.solve(in: 0...2, xTolerance: 1e-12) { x in x * x - 2 }
    let noRoot = Bisection.solve(in: 0...1) { x in x * x + 1 }
    #expect(sqrtTwo.status == .converged)
    #expect(sqrtTwo.bracket.upperBound - sqrtTwo.bracket.lowerBound <= 1e-12)
    #expect(sqrtTwo.bracket.contains(2.0.squareRoot()))
    #expect(abs(sqrtTwo.root - 2.0.squareRoot()) <= 1e-12)
    if case .infeasible = noRoot.status {} else { Issue.record("status \(noRoot.status)") }
    #expect(noRoot.stopReason == .noSignChange)
  }

  // MARK: SafeguardedNewtonMethod.md

  @Test func safeguardedNewtonSolvesTheDownlinkEquationQuickly() {
    // The downlink round length of three devices: the root above max m_k of
    // Σ d_k/(T − m_k) = 1, a convex decreasing function.
    let d = [0.5, 1.0, 2.0]
    let m = [0.1, 0.2, 0.05]
    let downlink = SafeguardedNewton.solve(in: 2.0...10.0, xTolerance: 1e-15) { t in
      var value = -1.0
      var slope = 0.0
      for k in d.indices {
        value += d[k] / (t - m[k])
        slope -= d[k] / ((t - m[k]) * (t - m[k]))
      }
      return (value, slope)
    }
    #expect(downlink.status == .converged)
    #expect(downlink.iterations < 10)
    let width = downlink.bracket.upperBound - downlink.bracket.lowerBound
    #expect(width <= 1e-15 * downlink.bracket.upperBound || downlink.stopReason == .exactZero)
    let residual = d.indices.reduce(-1.0) { $0 + d[$1] / (downlink.root - m[$1]) }
    #expect(abs(residual) <= 1e-14)
    // Bisection to the same width needs about fifty evaluations.
    let bisection = Bisection.solve(in: 2.0...10.0, xTolerance: 1e-15 * 4) { t in
      d.indices.reduce(-1.0) { $0 + d[$1] / (t - m[$1]) }
    }
    #expect(bisection.iterations >= 45)
  }

  // MARK: ExactWaterFilling.md

  @Test func breakpointWaterFillingFindsTheExactLevel() {
    var filling = BreakpointWaterFilling(capacity: 3)
    let p = [4.0, 6, 8]
    let q = [1.0, 1, 2]
    let lo = [0.0, 0, 0]
    let hi = [3.0, 2, 3]
    let water = filling.solve(p: p, q: q, lo: lo, hi: hi, total: 5)
    let allocation = p.indices.map { k in min(max(p[k] - q[k] * water.level, lo[k]), hi[k]) }
    #expect(water.status == .converged)
    #expect(water.level == 3)
    #expect(allocation == [1, 2, 2])
    #expect(water.levelRange == 3...3)
    let tooMuch = filling.solve(p: p, q: q, lo: lo, hi: hi, total: 9)
    if case .infeasible = tooMuch.status {} else { Issue.record("status \(tooMuch.status)") }
  }

  // MARK: WaterFillingByLevelBisection.md

  @Test func levelWaterFillingSplitsInverselyToTheWeights() {
    // Minimize Σ w_k·x_k² with Σ x_k = 1, 0 ≤ x_k ≤ 1: the optimum is x_k ∝ 1/w_k.
    let weights = [1.0, 2.0, 4.0]
    let split = LevelWaterFilling.solve(lower: [0, 0, 0], upper: [1, 1, 1], total: 1) { k, x in
      2 * weights[k] * x
    }
    #expect(split.status == .converged)
    let expected = [4.0 / 7, 2.0 / 7, 1.0 / 7]
    for k in 0..<3 { #expect(abs(split.allocation[k] - expected[k]) <= 1e-12, "\(k)") }
    #expect(abs(split.level - 8.0 / 7) <= 1e-11)
    #expect(abs(split.allocation.reduce(0, +) - 1) <= 1e-15)
  }

  // MARK: DinkelbachsMethod.md

  @Test func dinkelbachMaximizesTheRatioWithACertificate() {
    // Maximize √x / (1 + x) on [0.1, 10]: the optimum is x = 1, ratio 1/2.
    let result = Dinkelbach.maximize(
      start: 5.0,
      ratio: { x in (x.squareRoot(), 1 + x) },
      parametric: { lambda in
        // argmax over [0.1, 10] of √x − λ(1 + x): the stationary point 1/(4λ²), clamped.
        min(max(1 / (4 * lambda * lambda), 0.1), 10)
      }
    )
    #expect(result.status == .converged)
    #expect(abs(result.ratio - 0.5) <= 1e-15)
    #expect(abs(result.maximizer - 1) <= 1e-7)
    #expect(result.iterations <= 8)
    #expect(result.certificate <= 1e-14 * max(1, result.maximizer.squareRoot()))
    // The λ of the trace increase.
    let lambdas = result.trace.map(\.lambda)
    #expect(zip(lambdas, lambdas.dropFirst()).allSatisfy { $0 < $1 })
  }

  // MARK: GoldenSectionSearch.md

  @Test func goldenSectionFindsInteriorAndEndMinima() {
    let minimum = GoldenSection.minimize(in: 0...4, tolerance: 1e-10) { x in
      (x - 1.5) * (x - 1.5) + 2
    }
    let atEnd = GoldenSection.minimize(in: 2...3) { x in x * x }
    #expect(minimum.status == .converged)
    #expect(abs(minimum.x - 1.5) <= 1e-9)
    #expect(abs(minimum.value - 2) <= 1e-15)
    #expect(atEnd.x == 2)
    #expect(atEnd.value == 4)
  }

  // MARK: ProjectedSubgradientMethod.md

  @Test func projectedSubgradientReachesTheBoxCorner() {
    // Minimize |x − 3| + |y + 1| over the box [0, 2] × [0, 2]: optimum 2 at (2, 0).
    let result = ProjectedSubgradient.minimize(
      start: [0, 2], step: .polyak(target: 2), maxIterations: 1000,
      lowerBound: 2, gapTolerance: 1e-6,
      objective: { x in
        let value = abs(x[0] - 3) + abs(x[1] + 1)
        return (value, [x[0] < 3 ? -1 : 1, x[1] < -1 ? -1 : 1])
      },
      project: { x in
        x = x.map { min(max($0, 0), 2) }
      }
    )
    #expect(result.status == .converged)
    #expect(abs(result.best[0] - 2) <= 1e-6 && abs(result.best[1]) <= 1e-6)
    #expect((result.gap ?? .infinity) <= 1e-6)
  }
}
