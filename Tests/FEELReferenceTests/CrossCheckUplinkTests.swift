import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Testing

/// Theorem 1 (the uplink problem P4, P6 with GPUs, at a fixed global batch): the fast
/// solver's round length agrees with both reference solvers on the TRUE latency model
/// (ReferenceBridge), and its own certificate is tight.
@Suite struct CrossCheckUplinkTests {
  /// `PropertyCount.value` random scenarios (CPU, GPU, mixed; K = 1…6), each at a global
  /// batch cycling through K, K·B^max, below Σ ℓ_k, Σ ℓ_k and anywhere: `FEELSolver.uplink`
  /// agrees with `GLPKReference.uplink` and `LAPACKReference.uplink` to a relative 1e-7,
  /// and its certificate's duality gap is below 1e-9 of the round length.
  @Test(arguments: 0..<4)
  func uplinkAgreesWithBothReferences(block: Int) throws {
    forEachInstance(seed: 50_000, count: 200, block: block, of: 4) { index, g in
      let scenario = randomScenario(&g, kind: .cycling(index), devices: 1...6)
      let solver = try FEELSolver(scenario)
      let B = randomGlobalBatch(solver.data, index: index, &g)
      let context = "instance \(index), K \(solver.data.count), B \(B)"
      let fast = try solver.uplink(globalBatch: B)
      let instance = try UplinkInstance(solver.scenario, globalBatch: B)
      let glpk = try GLPKReference.uplink(instance)
      let lapack = try LAPACKReference.uplink(instance)
      #expect(
        relativeDifference(glpk.roundLength, fast.roundLength) <= 1e-7,
        "GLPK \(glpk.roundLength) vs fast \(fast.roundLength): \(context)")
      #expect(
        relativeDifference(lapack.roundLength, fast.roundLength) <= 1e-7,
        "LAPACK \(lapack.roundLength) vs fast \(fast.roundLength): \(context)")
      let gap = fast.certificate.dualityGap / fast.roundLength
      #expect(gap <= 1e-9, "certificate gap \(gap): \(context)")
      // The fast allocation is a feasible point of the reference instance: its exact
      // round length (by the reference's own bisection) is what the fast solver claims.
      let exact = instance.roundLength(batches: fast.batches).roundLength
      #expect(relativeDifference(exact, fast.roundLength) <= 1e-7, "exact \(exact): \(context)")
    }
  }
}
