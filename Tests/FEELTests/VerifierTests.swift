import FEEL
import Testing

/// The verifier rejects what is not optimal or not feasible.
@Suite struct VerifierTests {
  let solver = try! FEELSolver(.paperDefault)

  @Test func theOptimumPasses() {
    #expect(Verifier.verify(solver.optimize(), data: solver.data).passed)
  }

  @Test func aFeasibleButSuboptimalAllocationFails() {
    var s = solver.optimize()
    // Move one sample from the first device to the second: still feasible, not optimal.
    s.batches[0] -= 0.5
    s.batches[1] += 0.5
    let report = Verifier.verify(s, data: solver.data)
    #expect(report.feasibilityViolation <= 1e-12)
    #expect(!report.passed, "\(report)")
  }

  @Test func overbookedSlotsFail() {
    var s = solver.optimize()
    s.uplinkSlotSeconds[0] *= 1.01
    #expect(!Verifier.verify(s, data: solver.data).passed)
  }

  @Test func batchesOutOfBoundsFail() {
    var s = try! solver.solve(globalBatch: 12)
    s.batches[0] = 0.5
    s.batches[1] = 1.5
    #expect(!Verifier.verify(s, data: solver.data).passed)
  }

  @Test func aForgedBoundFails() {
    var s = solver.optimize()
    // Multipliers that are not optimal give a weak bound: the gap shows.
    s.uplinkCertificate.deviceWeights = s.uplinkCertificate.deviceWeights.map { _ in 1 }
    #expect(!Verifier.verify(s, data: solver.data).passed)
  }

  @Test func nanAnywhereFails() {
    var s = solver.optimize()
    s.batches[3] = .nan
    #expect(!Verifier.verify(s, data: solver.data).passed)
    var t = solver.optimize()
    t.uplinkCertificate.batchPrice = .nan
    #expect(!Verifier.verify(t, data: solver.data).passed)
  }

  @Test func wrongLengthsFail() {
    var s = solver.optimize()
    s.batches.removeLast()
    #expect(!Verifier.verify(s, data: solver.data).passed)
  }
}
