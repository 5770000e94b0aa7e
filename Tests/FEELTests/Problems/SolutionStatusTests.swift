import FEELTestSupport
import Testing

@testable import FEEL

/// ``Solution/status``: derived from the verification of the certificate, never claiming
/// more than it.
@Suite struct SolutionStatusTests {
  @Test(arguments: ["cpu-3-devices", "gpu-4-devices", "mixed-6-devices"])
  func publicVectorsAreCertified(name: String) throws {
    let solver = try FEELSolver(try Fixtures.scenario(name))
    let best = solver.optimize()
    #expect(best.status == .certified, "\(name): \(best.status)")
    #expect(Verifier.verify(best, data: solver.data).passed)
    let fixed = try solver.solve(globalBatch: best.globalBatch.rounded())
    #expect(fixed.status == .certified, "\(name): \(fixed.status)")
  }

  @Test func randomInstancesHaveTheStatusOfTheirVerification() throws {
    let seed: UInt64 = 0x15_0010
    forEachInstance(seed: seed, count: 200) { i, g in
      let kind = RandomScenarioKind.cycling(i)
      let solver = try FEELSolver(randomScenario(&g, kind: kind, devices: 1...8))
      let best = solver.optimize()
      #expect(
        best.status.isCertified == Verifier.verify(best, data: solver.data).passed,
        "seed \(seed) instance \(i): \(best.status)")
      #expect(best.status == .certified, "seed \(seed) instance \(i): \(best.status)")
    }
  }

  /// A tampered allocation fails its check, and the status says which check.
  @Test func aTamperedAnswerIsNotCertified() throws {
    let solver = try FEELSolver(try Fixtures.scenario("cpu-3-devices"))
    let s = solver.optimize()
    var x = s.allocation.uplinkFractions
    x[0] *= 1.5  // Σ τ^U exceeds the frame
    let infeasible = SolutionStatus(
      verification: Verifier.verify(
        s.allocation.replacing(uplinkFractions: x), certificatesOf: s, data: solver.data))
    guard case .notCertified(let reason) = infeasible else {
      Issue.record("\(infeasible)")
      return
    }
    #expect(reason.contains("feasibility violation"))
    let t = solver.optimize()
    var b = t.batches
    b[0] -= 1  // wastes a sample: feasible but not optimal
    let loose = SolutionStatus(
      verification: Verifier.verify(
        t.allocation.replacing(batches: b), certificatesOf: t, data: solver.data))
    #expect(!loose.isCertified, "\(loose)")
    #expect(loose.failure != nil)
  }

  @Test func statusFromReportsAndSearches() {
    func report(primal: Double, bound: Double, violation: Double = 0) -> VerificationReport {
      VerificationReport(
        feasibilityViolation: violation, primal: primal, bound: bound,
        relativeGap: abs(primal - bound) / abs(primal), stationarityResidual: 0,
        tolerance: FEELSolver.Settings.default.certificateTolerance)
    }
    #expect(SolutionStatus(verification: report(primal: 1, bound: 1)) == .certified)
    // A verified certificate wins over a search that stopped at its iteration limit.
    #expect(
      SolutionStatus(verification: report(primal: 1, bound: 1), searches: [.iterationLimit])
        == .certified)
    #expect(
      SolutionStatus(verification: report(primal: 1, bound: 2), searches: [.iterationLimit])
        == .iterationLimit)
    if case .numericalTrouble = SolutionStatus(verification: report(primal: .nan, bound: 1)) {
    } else {
      Issue.record("NaN primal must be numerical trouble")
    }
    if case .notCertified = SolutionStatus(verification: report(primal: 1, bound: 1.1)) {
    } else {
      Issue.record("a gap of 0.1 must be not certified")
    }
    #expect(SolutionStatus.certifiedWithinGap(0.01).isCertified)
    #expect(SolutionStatus.certifiedWithinGap(0.01).name == "certifiedWithinGap")
    #expect(!SolutionStatus.iterationLimit.isCertified)
    #expect(SolutionStatus.certified.failure == nil)
  }

  @Test func integerAnswersAreCertifiedWithinTheirGapToTheContinuousBound() throws {
    let solver = try FEELSolver(try Fixtures.scenario("cpu-3-devices"))
    let result = try IntegerBatches.solve(solver, globalBatch: nil)
    #expect(IntegerBatches.certify(result.solution, data: solver.data).passed)
    #expect(result.solution.status == .certifiedWithinGap(result.relativeGap))
    let fixed = try IntegerBatches.solve(solver, globalBatch: 100)
    #expect(fixed.solution.status.isCertified, "\(fixed.solution.status)")
  }
}
