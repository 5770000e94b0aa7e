import FEEL
import FEELReference
import FEELReferenceBridge
import FEELTestSupport
import Foundation
import Testing

/// The integer variant of the uplink problem (B_k integers, Σ B_k = B): the fast solver's
/// exchange method (`IntegerBatches`) finds the same optimum as GLPK's branch-and-cut and,
/// for small boxes, as brute-force enumeration.
@Suite struct CrossCheckIntegerTests {
  /// `PropertyCount.value` random scenarios (CPU, GPU, mixed; K = 1…4, B^max ≤ 24) at a
  /// random integer global batch (the ends K and K·B^max included): the integer uplink
  /// round length of `IntegerBatches.solve` equals `GLPKReference.integerUplink`'s and,
  /// when at most 20 000 allocations exist, `EnumerationReference.integerUplink`'s, to a
  /// relative 1e-9 (both are exact optima; the difference is rounding only).
  @Test(arguments: 0..<4)
  func integerUplinkMatchesBranchAndCutAndEnumeration(block: Int) throws {
    forEachInstance(seed: 70_000, count: 200, block: block, of: 4) { index, g in
      let scenario = try smallScenario(&g, kind: .cycling(index), devices: 1...4, maxBatch: 24)
      let solver = try FEELSolver(scenario)
      let data = solver.data
      let B = randomGlobalBatch(data, index: index, &g).rounded()
      let context =
        "instance \(index), K \(data.count), B^max \(data.maxBatch), B \(B)"
      let fast = try IntegerBatches.solve(solver, globalBatch: B).solution
      #expect(fast.batches.allSatisfy { $0 == $0.rounded() }, "integral: \(context)")
      let instance = try UplinkInstance(scenario, globalBatch: B)
      let glpk = try GLPKReference.integerUplink(instance)
      #expect(
        relativeDifference(glpk.roundLength, fast.uplinkSeconds) <= 1e-9,
        "GLPK \(glpk.roundLength) \(glpk.batches) vs fast \(fast.uplinkSeconds) \(fast.batches): \(context)"
      )
      if pow(data.maxBatch, Double(data.count)) <= 20_000 {
        let enumerated = try EnumerationReference.integerUplink(instance)
        #expect(
          relativeDifference(enumerated.roundLength, fast.uplinkSeconds) <= 1e-9,
          "enumeration \(enumerated.roundLength) \(enumerated.batches) vs fast \(fast.uplinkSeconds) \(fast.batches): \(context)"
        )
      }
    }
  }
}
