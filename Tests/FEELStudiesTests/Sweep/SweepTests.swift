import FEEL
import FEELStudies
import FEELTestSupport
import Foundation
import Testing

/// The sweep engine of `feel sweep`: parameter values, how each parameter is applied, the
/// parallel run (in order, identical to solving one by one) and the CSV/JSON output.
@Suite struct SweepTests {
  static let rated = try! Scenario(
    name: "three rated devices", gradientBits: 2.58e8, maxBatch: 128, cyclesPerSample: 2e8,
    updateCycles: 5e7,
    devices: [
      Device(compute: .cpu(hz: 0.7e9), link: .rates(uplinkBps: 6e7, downlinkBps: 8e7)),
      Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 3e7, downlinkBps: 9e7)),
      Device(compute: .cpu(hz: 2.1e9), link: .rates(uplinkBps: 1.2e8, downlinkBps: 1.5e8)),
    ])

  @Test func linearValuesHitBothEndsWithEqualSteps() throws {
    let v = try Sweep.values(from: 2, to: 12, steps: 6, log: false)
    #expect(v == [2, 4, 6, 8, 10, 12])
    #expect(try Sweep.values(from: 3, to: 9, steps: 1, log: false) == [3])
    #expect(try Sweep.values(from: 9, to: 3, steps: 3, log: false) == [9, 6, 3])
  }

  @Test func logValuesHitBothEndsWithEqualRatios() throws {
    let v = try Sweep.values(from: 1e6, to: 1e8, steps: 9, log: true)
    #expect(v.first == 1e6)
    #expect(v.last == 1e8)
    for i in 1..<v.count {
      #expect(abs(v[i] / v[i - 1] - pow(10, 0.25)) <= 1e-14, "step \(i)")
    }
  }

  @Test func badRangesNameTheOption() {
    let cases: [(Double, Double, Int, String)] = [
      (0, 1, 5, "from"), (-1, 1, 5, "from"), (.nan, 1, 5, "from"), (1, .infinity, 5, "to"),
      (1, 0, 5, "to"), (1, 2, 0, "steps"), (1, 2, 100_001, "steps"),
    ]
    for (a, b, n, field) in cases {
      #expect(throws: InfeasibleRequest.self) {
        try Sweep.values(from: a, to: b, steps: n, log: false)
      }
      do {
        _ = try Sweep.values(from: a, to: b, steps: n, log: false)
      } catch let e as InfeasibleRequest {
        #expect(e.field == field, "\(a) \(b) \(n)")
      } catch { Issue.record("unexpected \(error)") }
    }
  }

  @Test func devicesRepeatTheFleetCyclically() throws {
    let s = try SweepParameter.devices.apply(7, to: Self.rated)
    #expect(s.deviceCount == 7)
    for k in 0..<7 { #expect(s.devices[k] == Self.rated.devices[k % 3], "device \(k)") }
    #expect(try SweepParameter.devices.apply(1.4, to: Self.rated).deviceCount == 1)
    #expect(try SweepParameter.devices.apply(0.3, to: Self.rated).deviceCount == 1)
  }

  @Test func bandwidthScalesGivenRatesAndSetsTheChannel() throws {
    let s = try SweepParameter.bandwidth.apply(2.5e7, to: Self.rated)
    #expect(s.channel.bandwidthHz == 2.5e7)
    for k in 0..<3 {
      let r0 = Self.rated.rates(of: k)
      let r = s.rates(of: k)
      #expect(abs(r.uplink / r0.uplink - 2.5) <= 1e-15)
      #expect(abs(r.downlink / r0.downlink - 2.5) <= 1e-15)
    }
    let placed = try SweepParameter.bandwidth.apply(2e7, to: .paperDefault)
    #expect(placed.channel.bandwidthHz == 2e7)
    #expect(placed.devices == Scenario.paperDefault.devices)
  }

  @Test func cpuAndUplinkFactorsScaleAllOrOneDevice() throws {
    let all = try SweepParameter.cpu.apply(2, to: Self.rated)
    let one = try SweepParameter.cpu.apply(2, to: Self.rated, device: 1)
    for k in 0..<3 {
      guard case .cpu(let f0) = Self.rated.devices[k].compute,
        case .cpu(let f) = all.devices[k].compute,
        case .cpu(let g) = one.devices[k].compute
      else {
        Issue.record("device \(k) is not a CPU")
        continue
      }
      #expect(f == 2 * f0)
      #expect(g == (k == 1 ? 2 * f0 : f0))
    }
    let up = try SweepParameter.uplink.apply(0.5, to: .paperDefault, device: 3)
    for k in 0..<12 {
      let r0 = Scenario.paperDefault.rates(of: k)
      let r = up.rates(of: k)
      #expect(abs(r.uplink / r0.uplink - (k == 3 ? 0.5 : 1)) <= 1e-15, "device \(k)")
      #expect(abs(r.downlink / r0.downlink - 1) <= 1e-15, "device \(k)")
    }
    #expect(throws: InfeasibleRequest.self) {
      try SweepParameter.cpu.apply(2, to: Self.rated, device: 3)
    }
  }

  @Test func gradientAndMaxBatchAreSetAndChecked() throws {
    #expect(try SweepParameter.gradient.apply(1e6, to: Self.rated).gradientBits == 1e6)
    #expect(try SweepParameter.maxBatch.apply(63.6, to: Self.rated).maxBatch == 64)
    let gpu = try Scenario(
      gradientBits: 1e6, maxBatch: 64,
      devices: [
        Device(
          compute: .gpu(
            GPUProfile(baseSeconds: 0.1, secondsPerSample: 0.01, thresholdBatch: 32, flops: 1e12)),
          link: .rates(uplinkBps: 1e7, downlinkBps: 1e7))
      ])
    #expect(throws: ScenarioError.self) { try SweepParameter.maxBatch.apply(16, to: gpu) }
    #expect(throws: InfeasibleRequest.self) { try SweepParameter.gradient.apply(.nan, to: gpu) }
    #expect(throws: InfeasibleRequest.self) { try SweepParameter.gradient.apply(-1, to: gpu) }
  }

  @Test func parallelRunEqualsSolvingEachValueInOrder() throws {
    for parameter in SweepParameter.allCases {
      let values: [Double]
      switch parameter {
      case .devices: values = [1, 2, 5, 12, 30]
      case .bandwidth: values = [1e6, 5e6, 1e7, 4e7]
      case .cpu, .uplink: values = [0.25, 0.5, 1, 2, 4]
      case .gradient: values = [1e6, 1e8, 1e9]
      case .maxBatch: values = [1, 8, 64, 256]
      case .exponent: values = [0.1, 0.5, 0.7, 1]
      case .noiseBatch: values = [1, 100, 1e4]
      case .maxDecrease: values = [0.5, 1, 4]
      }
      // L∞ applies to the saturating model only.
      let base =
        parameter == .maxDecrease
        ? try Scenario.paperDefault.with {
          $0.lossDecay = .saturating(maxDecrease: 1, noiseBatch: 300)
        } : Scenario.paperDefault
      let points = try Sweep(base: base, parameter: parameter).run(values)
      #expect(points.map(\.value) == values, "\(parameter)")
      for (p, v) in zip(points, values) {
        let s = try parameter.apply(v, to: base)
        let expected = try FEELSolver(s).optimize()
        #expect(p.solution == expected, "\(parameter) = \(v)")
        #expect(p.deviceCount == s.deviceCount)
        #expect(Verifier.verify(p.solution, data: try SystemData(s)).passed, "\(parameter) = \(v)")
      }
    }
  }

  @Test func efficiencyNeverFallsAsLinksOrCPUsGetFaster() throws {
    for parameter in [SweepParameter.bandwidth, .cpu, .uplink] {
      let values =
        parameter == .bandwidth
        ? try Sweep.values(from: 1e6, to: 1e8, steps: 15, log: true)
        : try Sweep.values(from: 0.1, to: 10, steps: 15, log: true)
      let points = try Sweep(base: .paperDefault, parameter: parameter).run(values)
      for i in 1..<points.count {
        let a = points[i - 1].solution.learningEfficiency
        let b = points[i].solution.learningEfficiency
        #expect(b >= a * (1 - 1e-12), "\(parameter) step \(i): \(a) → \(b)")
      }
    }
  }

  @Test func firstErrorInValueOrderIsReportedWithTheValue() {
    do {
      _ = try Sweep(base: Self.rated, parameter: .gradient).run([1e6, -5, .nan])
      Issue.record("no error")
    } catch let e as InfeasibleRequest {
      #expect(e.field == "gradient")
      #expect(e.reason.contains("-5"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func csvHasOneRowPerValueAndABatchColumnPerDevice() throws {
    let points = try Sweep(base: Self.rated, parameter: .devices).run([1, 3, 4])
    let csv = Sweep.csv(points, parameter: .devices)
    let lines = csv.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    #expect(lines.count == 4)
    #expect(
      lines[0].map(String.init) == [
        "devices", "devices", "learningEfficiency", "globalBatch", "roundSeconds", "uplinkSeconds",
        "downlinkSeconds", "batch_0", "batch_1", "batch_2", "batch_3",
      ])
    for (i, p) in points.enumerated() {
      let row = lines[i + 1]
      #expect(row.count == 11)
      #expect(Double(String(row[2])) == p.solution.learningEfficiency)
      #expect(Double(String(row[3])) == p.solution.globalBatch)
      let batches = row[7...].compactMap { Double(String($0)) }
      #expect(batches == p.solution.batches)
    }
    let json = Sweep.json(points, parameter: .devices)
    guard case .array(let list)? = json["points"] else {
      Issue.record("no points")
      return
    }
    #expect(list.count == 3)
    #expect(list[2]["globalBatch"] == .number(points[2].solution.globalBatch))
  }

  @Test func parallelMapKeepsOrderErrorsAndCountsProgress() {
    struct Odd: Error {}
    let seen = Counter()
    let r = ParallelMap.run(count: 100, progress: { seen.set($0) }) { i -> Int in
      if i % 7 == 3 { throw Odd() }
      return i * i
    }
    #expect(r.count == 100)
    for (i, x) in r.enumerated() {
      switch x {
      case .success(let v): #expect(v == i * i && i % 7 != 3)
      case .failure: #expect(i % 7 == 3)
      }
    }
    #expect(seen.maximum == 100)
    #expect(ParallelMap.run(count: 0) { $0 }.isEmpty)
  }
  // The loss-decay parameters of the sweep (moved with the studies from LossDecayTests).
  @Test func sweepParametersChangeTheModel() throws {
    let base = Scenario.paperDefault
    let power = try SweepParameter.exponent.apply(0.7, to: base)
    #expect(power.lossDecay == .power(coefficient: 1, exponent: 0.7))
    let sat = try SweepParameter.noiseBatch.apply(300, to: base)
    #expect(sat.lossDecay == .saturating(maxDecrease: 1, noiseBatch: 300))
    let scaled = try SweepParameter.maxDecrease.apply(2, to: sat)
    #expect(scaled.lossDecay == .saturating(maxDecrease: 2, noiseBatch: 300))
    #expect(throws: InfeasibleRequest.self) { try SweepParameter.maxDecrease.apply(2, to: base) }
    #expect(throws: InfeasibleRequest.self) { try SweepParameter.exponent.apply(0.5, to: sat) }
    #expect(throws: ScenarioError.self) { try SweepParameter.exponent.apply(1.5, to: base) }
    // L∞ scales E and leaves the policy.
    let a = try FEELSolver(sat).optimize()
    let b = try FEELSolver(scaled).optimize()
    #expect(abs(b.learningEfficiency / a.learningEfficiency - 2) <= 1e-12)
    #expect(a.batches == b.batches)
  }

}

/// A thread-safe maximum of the progress counts.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func set(_ v: Int) {
    lock.lock()
    value = max(value, v)
    lock.unlock()
  }
  var maximum: Int {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}
