import FEEL
import Foundation
import Testing

/// Misuse of the public API, in the style of Clarabel's `api_dimension_checks.rs`: every
/// wrong input gives a typed error naming what is wrong, never a trap, a NaN or a
/// violated bound reported as certified.
@Suite struct APIMisuseTests {
  static let base = Scenario.paperDefault

  /// `change` applied to the default scenario must throw a ``ScenarioError`` naming
  /// `field`.
  func expectRejected(
    _ field: String, _ change: (inout Scenario.Parameters) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      let s = try Self.base.with(change)
      Issue.record(
        "accepted a scenario that should fail on \(field): \(s)", sourceLocation: sourceLocation)
    } catch let e as ScenarioError {
      #expect(e.field == field, "\(e)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("untyped error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func mutatedScenariosNameTheField() {
    expectRejected("devices") { $0.devices = [] }
    expectRejected("maxBatch") { $0.maxBatch = 0 }
    expectRejected("maxBatch") { $0.maxBatch = -3 }
    expectRejected("gradientBits") { $0.gradientBits = .nan }
    expectRejected("gradientBits") { $0.gradientBits = -1 }
    expectRejected("uplinkFrameSeconds") { $0.uplinkFrameSeconds = -0.01 }
    expectRejected("downlinkFrameSeconds") { $0.downlinkFrameSeconds = .infinity }
    expectRejected("updateCycles") { $0.updateCycles = -1 }
    expectRejected("updateFlops") { $0.updateFlops = .nan }
    expectRejected("cyclesPerSample") { $0.cyclesPerSample = 0 }
    expectRejected("cyclesPerSample") { $0.cyclesPerSample = nil }
    for bad in [0.0, -1, .nan, .infinity] {
      expectRejected("lossDecay.coefficient") { $0.lossDecay = .sqrt(coefficient: bad) }
    }
    expectRejected("lossDecay.exponent") {
      $0.lossDecay = .power(coefficient: 1, exponent: 1.5)
    }
    expectRejected("lossDecay.noiseBatch") {
      $0.lossDecay = .saturating(maxDecrease: 1, noiseBatch: -1)
    }
    expectRejected("channel.bandwidthHz") { $0.channel = $0.channel.replacing(bandwidthHz: 0) }
    expectRejected("devices[0].cpuHz") {
      $0.devices[0] = Device(compute: .cpu(hz: .nan), link: $0.devices[0].link)
    }
    expectRejected("devices[1].uplinkBps") {
      $0.devices[1] = Device(
        compute: $0.devices[1].compute, link: .rates(uplinkBps: 0, downlinkBps: 1e6))
    }
    expectRejected("devices[2].distanceMeters") {
      $0.devices[2] = Device(compute: $0.devices[2].compute, link: .distance(meters: -5))
    }
    // A GPU threshold above B^max.
    expectRejected("devices[0].gpu.thresholdBatch") { p in
      p.devices[0] = Device(
        compute: .gpu(
          GPUProfile(
            baseSeconds: 0.1, secondsPerSample: 1e-3, thresholdBatch: p.maxBatch + 1, flops: 1e12)),
        link: p.devices[0].link)
    }
  }

  @Test func aValidChangeIsCheckedAndKeepsTheRest() throws {
    let wider = try Self.base.with { $0.maxBatch = 256 }
    #expect(wider.maxBatch == 256)
    #expect(wider.devices == Self.base.devices && wider.channel == Self.base.channel)
    #expect(try Scenario(Self.base.parameters) == Self.base)
    // The loss-decay scale is read-only; it changes through with { }.
    let scaled = try Self.base.with { $0.lossDecay = $0.lossDecay.withScale(3) }
    #expect(scaled.lossDecayCoefficient == 3)
  }

  @Test func wrongLengthAndNonFiniteAllocationsGiveATypedFailure() throws {
    let solver = try FEELSolver(Self.base)
    let s = solver.optimize()
    let a = s.allocation
    let K = solver.data.count
    let cases: [(Allocation, AllocationProblem)] = [
      (
        a.replacing(batches: Array(a.batches.dropLast())),
        .wrongLength(field: "batches", expected: K, got: K - 1)
      ),
      (
        a.replacing(uplinkFractions: a.uplinkFractions + [0.1]),
        .wrongLength(field: "uplinkFractions", expected: K, got: K + 1)
      ),
      (
        a.replacing(downlinkFractions: []),
        .wrongLength(field: "downlinkFractions", expected: K, got: 0)
      ),
    ]
    for (allocation, problem) in cases {
      let report = Verifier.verify(allocation, certificatesOf: s, data: solver.data)
      #expect(!report.passed)
      #expect(report.inputProblem == problem, "\(report)")
    }
    var x = a.uplinkFractions
    x[2] = -0.1
    let negative = Verifier.verify(
      a.replacing(uplinkFractions: x), certificatesOf: s, data: solver.data)
    guard case .negative(let field, let index, _) = negative.inputProblem else {
      Issue.record("\(negative)")
      return
    }
    #expect(field == "uplinkFractions" && index == 2 && !negative.passed)
    var b = a.batches
    b[4] = .nan
    let nan = Verifier.verify(a.replacing(batches: b), certificatesOf: s, data: solver.data)
    guard case .notFinite(let nanField, 4, _) = nan.inputProblem else {
      Issue.record("\(nan)")
      return
    }
    #expect(nanField == "batches" && !nan.passed)
    // The integer check rejects the same inputs without trapping.
    #expect(
      !IntegerBatches.certify(
        a.replacing(batches: Array(a.batches.dropLast())), globalBatch: s.globalBatch,
        data: solver.data
      ).passed)
  }

  @Test func invalidSettingsAreRejectedByName() {
    let cases: [(String, () throws -> FEELSolver.Settings)] = [
      ("certificateTolerance", { try .init(certificateTolerance: -1e-9) }),
      ("certificateTolerance", { try .init(certificateTolerance: .nan) }),
      ("rootTolerance", { try .init(rootTolerance: 0) }),
      ("optimumTolerance", { try .init(optimumTolerance: .infinity) }),
      ("newtonMaxIterations", { try .init(newtonMaxIterations: 0) }),
      ("levelPasses", { try .init(levelPasses: -1) }),
      ("exchangeRoundsBase", { try .init(exchangeRoundsBase: -1) }),
      ("batchSearchTolerance", { try .init(batchSearchTolerance: 1) }),
    ]
    for (name, make) in cases {
      do {
        let s = try make()
        Issue.record("accepted \(s) for \(name)")
      } catch let e as SettingsError {
        #expect(e.setting == name, "\(e)")
      } catch {
        Issue.record("untyped error \(error)")
      }
    }
  }

  @Test func defaultSettingsGiveTheSameAnswerBitForBit() throws {
    let a = try FEELSolver(Self.base).optimize()
    let b = try FEELSolver(Self.base, settings: .init()).optimize()
    #expect(a == b)
    #expect(FEELSolver.Settings.default == (try FEELSolver.Settings()))
  }

  @Test func globalBatchesOutOfRangeAreRejected() throws {
    let solver = try FEELSolver(Self.base)
    let range = solver.globalBatchRange
    for B in [range.lowerBound - 1, range.upperBound + 1, 0, -5, .nan, .infinity] {
      do {
        let s = try solver.solve(globalBatch: B)
        Issue.record("B = \(B) accepted: \(s.status)")
      } catch let e as InfeasibleRequest {
        #expect(e.field == "globalBatch", "\(e)")
      }
      #expect(throws: InfeasibleRequest.self) { try IntegerBatches.solve(solver, globalBatch: B) }
    }
    #expect(throws: InfeasibleRequest.self) {
      try IntegerBatches.solve(solver, globalBatch: range.lowerBound + 0.5)
    }
  }

  @Test func nothingNonFiniteIsCertified() throws {
    let solver = try FEELSolver(Self.base)
    let s = solver.optimize()
    #expect(s.status.isCertified && s.learningEfficiency.isFinite)
    // Any NaN in an allocation checked against the certificates fails the check, and the
    // status derived from that report is not certified.
    for k in 0..<solver.data.count {
      for part in 0..<3 {
        var b = s.batches
        var x = s.allocation.uplinkFractions
        var y = s.allocation.downlinkFractions
        switch part {
        case 0: b[k] = .nan
        case 1: x[k] = .nan
        default: y[k] = .nan
        }
        let report = Verifier.verify(
          s.allocation.replacing(batches: b, uplinkFractions: x, downlinkFractions: y),
          certificatesOf: s, data: solver.data)
        #expect(!report.passed)
        #expect(!SolutionStatus(verification: report).isCertified)
      }
    }
  }
}
