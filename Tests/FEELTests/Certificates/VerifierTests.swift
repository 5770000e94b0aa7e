import FEEL
import Testing

/// The verifier rejects what is not optimal or not feasible.
@Suite struct VerifierTests {
  let solver = try! FEELSolver(.paperDefault)

  @Test func theOptimumPasses() {
    #expect(Verifier.verify(solver.optimize(), data: solver.data).passed)
  }

  @Test func aFeasibleButSuboptimalAllocationFails() {
    let s = solver.optimize()
    // Move one sample from the first device to the second: still feasible, not optimal.
    var b = s.batches
    b[0] -= 0.5
    b[1] += 0.5
    let report = Verifier.verify(
      s.allocation.replacing(batches: b), certificatesOf: s, data: solver.data)
    #expect(report.feasibilityViolation <= 1e-12)
    #expect(!report.passed, "\(report)")
  }

  @Test func overbookedSlotsFail() {
    let s = solver.optimize()
    var x = s.allocation.uplinkFractions
    x[0] *= 1.01
    let report = Verifier.verify(
      s.allocation.replacing(uplinkFractions: x), certificatesOf: s, data: solver.data)
    #expect(!report.passed)
  }

  @Test func batchesOutOfBoundsFail() {
    let s = try! solver.solve(globalBatch: 12)
    var b = s.batches
    b[0] = 0.5
    b[1] = 1.5
    #expect(
      !Verifier.verify(s.allocation.replacing(batches: b), certificatesOf: s, data: solver.data)
        .passed)
  }

  @Test func aForgedBoundFails() {
    let s = solver.optimize()
    // Multipliers that are not optimal give a weak bound: the gap shows.
    let u = s.uplinkCertificate
    let forged = UplinkCertificate(
      globalBatch: u.globalBatch, roundLength: u.roundLength,
      deviceWeights: u.deviceWeights.map { _ in 1 }, slotPrice: u.slotPrice,
      batchPrice: u.batchPrice, dualBound: u.dualBound)
    let report = Verifier.verify(
      s.allocation, globalBatch: s.globalBatch, uplink: forged, downlink: s.downlinkCertificate,
      global: s.globalCertificate, data: solver.data)
    #expect(!report.passed)
  }

  @Test func nanAnywhereFails() {
    let s = solver.optimize()
    var b = s.batches
    b[3] = .nan
    let report = Verifier.verify(
      s.allocation.replacing(batches: b), certificatesOf: s, data: solver.data)
    #expect(!report.passed)
    let u = s.uplinkCertificate
    let nanPrice = UplinkCertificate(
      globalBatch: u.globalBatch, roundLength: u.roundLength, deviceWeights: u.deviceWeights,
      slotPrice: u.slotPrice, batchPrice: .nan, dualBound: u.dualBound)
    let t = Verifier.verify(
      s.allocation, globalBatch: s.globalBatch, uplink: nanPrice,
      downlink: s.downlinkCertificate, global: s.globalCertificate, data: solver.data)
    #expect(!t.passed)
  }

  @Test func wrongLengthsFail() {
    let s = solver.optimize()
    let report = Verifier.verify(
      s.allocation.replacing(batches: Array(s.batches.dropLast())), certificatesOf: s,
      data: solver.data)
    #expect(!report.passed)
  }
}
