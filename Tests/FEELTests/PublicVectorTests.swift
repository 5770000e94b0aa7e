import FEEL
import FEELTestSupport
import Testing

/// The public vectors, made by an independent solver, are matched to relative 1e-9.
@Suite struct PublicVectorTests {
  @Test(arguments: Fixtures.names)
  func optimalEfficiencyMatchesTheIndependentSolver(name: String) throws {
    let solver = try FEELSolver(try Fixtures.scenario(name))
    let expected = try Fixtures.expected(name)
    let solution = solver.optimize()
    #expect(
      relativeDifference(solution.learningEfficiency, expected.learningEfficiency) <= 1e-9,
      "\(name)")
    #expect(
      relativeDifference(solution.downlinkSeconds, expected.downlinkSeconds) <= 1e-9, "\(name)")
    // The efficiency is flat at the optimum, so B* is determined to about √ε only.
    #expect(relativeDifference(solution.globalBatch, expected.globalBatch) <= 1e-6, "\(name)")
    #expect(Verifier.verify(solution, data: solver.data).passed, "\(name)")
  }

  @Test(arguments: Fixtures.names)
  func uplinkRoundLengthAtEachListedGlobalBatchMatches(name: String) throws {
    let solver = try FEELSolver(try Fixtures.scenario(name))
    let expected = try Fixtures.expected(name)
    #expect(!expected.uplinkSecondsAtGlobalBatch.isEmpty)
    for (B, T) in expected.uplinkSecondsAtGlobalBatch {
      let solution = try solver.solve(globalBatch: B)
      #expect(relativeDifference(solution.uplinkSeconds, T) <= 1e-9, "\(name) at B = \(B)")
      #expect(relativeDifference(solution.globalBatch, B) <= 1e-12, "\(name) at B = \(B)")
      #expect(Verifier.verify(solution, data: solver.data).passed, "\(name) at B = \(B)")
    }
  }

  @Test(arguments: Fixtures.names)
  func dinkelbachAndNewtonDinkelbachReachTheSameOptimum(name: String) throws {
    let solver = try FEELSolver(try Fixtures.scenario(name))
    let fast = solver.optimize()
    let (textbook, trace) = solver.optimizeByDinkelbach()
    #expect(relativeDifference(fast.learningEfficiency, textbook.learningEfficiency) <= 1e-13)
    #expect(relativeDifference(fast.globalBatch, textbook.globalBatch) <= 1e-6)
    #expect(!trace.isEmpty)
    // Dinkelbach's parametric values decrease to 0 (superlinear convergence).
    #expect(abs(trace.last?.parametricValue ?? 1) <= 1e-12 * fast.learningEfficiency)
  }
}
