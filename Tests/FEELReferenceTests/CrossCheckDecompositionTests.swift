import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Testing

/// The decomposition of P1 (P7 with GPUs) into the uplink P2 and the downlink P3 sharing
/// one global batch B: the fast solver's optimum over B is at least as efficient as the
/// best global batch a search driven only by the reference solvers finds, and its
/// efficiency is attained according to the references.
@Suite struct CrossCheckDecompositionTests {
  /// The reference efficiency ξ√B / (T^U_ref(B) + T^D_ref) with GLPK's uplink round length
  /// (a feasible allocation's exact round length, so an attainable efficiency).
  struct ReferenceEfficiency {
    let scenario: Scenario
    let downlink: Double

    func uplink(_ B: Double) throws -> Double {
      try GLPKReference.uplink(UplinkInstance(scenario, globalBatch: B)).roundLength
    }

    /// ΔL(B) from the reference's own formula over the reference round length.
    func callAsFunction(_ B: Double) throws -> Double {
      efficiency(B, roundSeconds: try uplink(B) + downlink)
    }

    func efficiency(_ B: Double, roundSeconds: Double) -> Double {
      GlobalBatchReference.lossDecrease(scenario.lossDecay, globalBatch: B) / roundSeconds
    }
  }

  /// `PropertyCount.value` random scenarios (CPU, GPU, mixed; K = 1…5): with T^D from
  /// `LAPACKReference.downlink` and T^U(B) from `GLPKReference.uplink`, a golden-section
  /// search over B ∈ [K, K·B^max] (45 steps, ends included; the efficiency is
  /// quasi-concave because T^U(B) is convex) finds no B more efficient than the fast
  /// optimum `FEELSolver.optimize()` (relative 1e-7), and gets within 1e-7 of it; at the
  /// fast B* the references' round lengths give the fast efficiency to a relative 1e-7.
  @Test(arguments: 0..<4)
  func fastOptimumIsAtLeastTheReferenceSearchOptimum(block: Int) throws {
    forEachInstance(seed: 90_000, count: 200, block: block, of: 4) { index, g in
      let scenario = randomScenario(&g, kind: .cycling(index), devices: 1...5)
      let solver = try FEELSolver(scenario)
      let data = solver.data
      let fast = solver.optimize()
      let context =
        "instance \(index), K \(data.count), B* \(fast.globalBatch), E* \(fast.learningEfficiency)"
      let downlink = try LAPACKReference.downlink(DownlinkInstance(scenario)).roundLength
      let efficiency = ReferenceEfficiency(scenario: scenario, downlink: downlink)
      let searched = try GlobalBatchReference.goldenMaximum(solver.globalBatchRange, iterations: 45)
      {
        try efficiency($0)
      }
      // The best B found, with LAPACK's uplink as well (both allocations are feasible).
      let lapackUp = try LAPACKReference.uplink(UplinkInstance(scenario, globalBatch: searched.x))
      let best = max(
        searched.value,
        efficiency.efficiency(searched.x, roundSeconds: lapackUp.roundLength + downlink))
      #expect(
        fast.learningEfficiency >= best * (1 - 1e-7),
        "reference search found B \(searched.x) with E \(best): \(context)")
      #expect(
        relativeDifference(best, fast.learningEfficiency) <= 1e-7,
        "reference search reached only E \(best) at B \(searched.x): \(context)")
      // At B*, the references attain the fast efficiency.
      let atStar = try efficiency(fast.globalBatch)
      #expect(
        relativeDifference(atStar, fast.learningEfficiency) <= 1e-7,
        "GLPK efficiency at B*: \(atStar): \(context)")
    }
  }
}
