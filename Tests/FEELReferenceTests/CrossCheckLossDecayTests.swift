import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Testing

/// The optimum over B under the power and saturating loss-decay models against an
/// independent search: golden-section search over B of g(B)/(T^U_ref(B) + T^D_ref) with
/// GLPK's uplink and LAPACK's downlink round lengths and g from the model's own formula
/// (`GlobalBatchReference`); no FEEL solver is called by the reference.
@Suite struct CrossCheckLossDecayTests {
  @Test(arguments: [RandomLossDecayKind.power, .saturating])
  func optimumUnderEachModelMatchesTheReferenceSearch(model: RandomLossDecayKind) throws {
    forEachInstance(seed: 94_000, count: 100) { index, g in
      let scenario = randomScenario(&g, kind: .cycling(index), devices: 1...5, lossDecay: model)
      let solver = try FEELSolver(scenario)
      let fast = solver.optimize()
      let context =
        "\(scenario.lossDecay), K \(solver.data.count), B* \(fast.globalBatch), E* \(fast.learningEfficiency)"
      let reference = try GlobalBatchReference.optimize(solver.scenario)
      // The fast optimum is at least the reference's (which is attainable) and within 1e-7.
      #expect(
        fast.learningEfficiency >= reference.efficiency * (1 - 1e-7),
        "reference found B \(reference.globalBatch) with E \(reference.efficiency): \(context)")
      #expect(
        relativeDifference(reference.efficiency, fast.learningEfficiency) <= 1e-7,
        "reference reached E \(reference.efficiency) at B \(reference.globalBatch): \(context)")
      #expect(Verifier.verify(fast, data: solver.data).passed, "\(context)")
      // ΔL from the reference's formula agrees with the solver's.
      let decrease = GlobalBatchReference.lossDecrease(
        scenario.lossDecay, globalBatch: fast.globalBatch)
      #expect(relativeDifference(fast.lossDecrease, decrease) <= 1e-13, "\(context)")
    }
  }

  /// power(α = 1/2) through the reference formula (`pow`) agrees with ξ√B.
  @Test func referenceFormulaOfPowerOneHalfIsTheSquareRoot() {
    for B in [1.0, 2, 3, 12.5, 1e3, 1e6] {
      let p = GlobalBatchReference.lossDecrease(
        .power(coefficient: 1.5, exponent: 0.5), globalBatch: B)
      let s = GlobalBatchReference.lossDecrease(.sqrt(coefficient: 1.5), globalBatch: B)
      #expect(relativeDifference(p, s) <= 1e-15)
    }
  }
}
