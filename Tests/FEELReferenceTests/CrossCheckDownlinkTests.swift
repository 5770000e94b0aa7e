import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Testing

/// Theorem 2 (the downlink problem P5): the fast solver's round length agrees with both
/// reference solvers, and its own certificate is tight.
@Suite struct CrossCheckDownlinkTests {
  /// `PropertyCount.value` random scenarios (CPU, GPU, mixed; K = 1…8): T^D from
  /// `FEELSolver.downlink()` agrees with `GLPKReference.downlink` and
  /// `LAPACKReference.downlink` to a relative 1e-7, and its certificate's duality gap is
  /// below 1e-9 of T^D.
  @Test(arguments: 0..<2)
  func downlinkAgreesWithBothReferences(block: Int) throws {
    forEachInstance(seed: 60_000, count: 200, block: block, of: 2) { index, g in
      let scenario = randomScenario(&g, kind: .cycling(index), devices: 1...8)
      let solver = try FEELSolver(scenario)
      let context = "instance \(index), K \(solver.data.count)"
      let fast = solver.downlink().certificate
      let instance = try DownlinkInstance(solver.scenario)
      let glpk = try GLPKReference.downlink(instance)
      let lapack = try LAPACKReference.downlink(instance)
      #expect(
        relativeDifference(glpk.roundLength, fast.roundLength) <= 1e-7,
        "GLPK \(glpk.roundLength) vs fast \(fast.roundLength): \(context)")
      #expect(
        relativeDifference(lapack.roundLength, fast.roundLength) <= 1e-7,
        "LAPACK \(lapack.roundLength) vs fast \(fast.roundLength): \(context)")
      let gap = fast.dualityGap / fast.roundLength
      #expect(gap <= 1e-9, "certificate gap \(gap): \(context)")
    }
  }
}
