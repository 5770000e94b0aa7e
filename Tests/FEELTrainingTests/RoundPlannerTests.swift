import FEEL
import Testing

@testable import FEELTraining

/// The batch and slot rules of the schemes of Section VI and the simulated clock.
@Suite struct RoundPlannerTests {
  static let sizes = [80, 80, 80]

  static func planner(
    _ scheme: TrainingScheme, slots: SlotAllocation = .equal, seed: UInt64 = 5
  )
    throws -> RoundPlanner
  {
    try RoundPlanner(
      scheme: scheme, baselineSlots: slots, fixedBatch: 8, localSizes: sizes, seed: seed)
  }

  /// T of an allocation straight from the latency model: max_k (t_k^L + a_k/x_k) +
  /// max_k (d_k/y_k + t_k^M), with t_k^L = B_k C/f_k for these CPU devices.
  static func roundSeconds(
    _ scenario: Scenario, compute: [Double], x: [Double], y: [Double]
  )
    -> Double
  {
    var up = 0.0
    var down = 0.0
    for (k, d) in scenario.devices.enumerated() {
      guard case .cpu(let hz) = d.compute, case .rates(let ru, let rd) = d.link else {
        return .nan
      }
      up = Swift.max(up, compute[k] + scenario.gradientBits / (x[k] * ru))
      let tf = scenario.downlinkFrameSeconds
      let td = scenario.gradientBits * tf / (y[k] * tf * rd)
      down = Swift.max(down, td + scenario.updateCycles / hz)
    }
    return up + down
  }

  static func cpuSeconds(_ scenario: Scenario, _ samples: [Double]) -> [Double] {
    scenario.devices.enumerated().map { k, d in
      guard case .cpu(let hz) = d.compute else { return .nan }
      return samples[k] * scenario.cyclesPerSample! / hz
    }
  }

  @Test func onlineFullAndFixedBatchRules() throws {
    let solver = try FEELSolver(FederatedFixtures.scenario())
    var online = try Self.planner(.onlineLearning)
    var full = try Self.planner(.fullBatch)
    var fixed = try Self.planner(.gradientBased)
    #expect(try online.next(solver: solver, solverChanged: true).samples == [1, 1, 1])
    #expect(try full.next(solver: solver, solverChanged: true).samples == [16, 16, 16])
    #expect(try fixed.next(solver: solver, solverChanged: true).samples == [8, 8, 8])
    var big = try RoundPlanner(
      scheme: .gradientBased, baselineSlots: .equal, fixedBatch: 40, localSizes: Self.sizes,
      seed: 1)
    #expect(try big.next(solver: solver, solverChanged: true).samples == [16, 16, 16])
  }

  @Test func randomBatchIsRedrawnEveryRoundWithin1ToBmax() throws {
    let solver = try FEELSolver(FederatedFixtures.scenario())
    var random = try Self.planner(.randomBatch)
    var seen = Set<[Int]>()
    var values = Set<Int>()
    for _ in 0..<200 {
      let plan = try random.next(solver: solver, solverChanged: false)
      #expect(plan.samples.allSatisfy { (1...16).contains($0) })
      seen.insert(plan.samples)
      values.formUnion(plan.samples)
    }
    #expect(seen.count > 150)
    #expect(values == Set(1...16))
  }

  @Test func optimalIsTheIntegerOptimumAndEqualBatchesSplitItsB() throws {
    let scenario = FederatedFixtures.scenario()
    let solver = try FEELSolver(scenario)
    let integer = try IntegerBatches.solve(solver, globalBatch: nil).solution
    var optimal = try Self.planner(.optimal)
    let plan = try optimal.next(solver: solver, solverChanged: true)
    #expect(plan.samples.map(Double.init) == integer.batches)
    #expect(abs(plan.roundSeconds - integer.roundSeconds) <= 1e-12 * integer.roundSeconds)
    var equal = try Self.planner(.equalBatches)
    let e = try equal.next(solver: solver, solverChanged: true)
    #expect(e.globalBatch == Int(integer.globalBatch.rounded()))
    #expect(e.samples.max()! - e.samples.min()! <= 1)
  }

  @Test func baselineRoundTimesAreTheLatencyModelsWithEqualSlots() throws {
    let scenario = FederatedFixtures.scenario()
    let solver = try FEELSolver(scenario)
    let third = [Double](repeating: 1.0 / 3, count: 3)
    for scheme in [TrainingScheme.onlineLearning, .fullBatch, .gradientBased, .randomBatch] {
      var p = try Self.planner(scheme)
      let plan = try p.next(solver: solver, solverChanged: true)
      let expected = Self.roundSeconds(
        scenario, compute: Self.cpuSeconds(scenario, plan.samples.map(Double.init)), x: third,
        y: third)
      #expect(abs(plan.roundSeconds - expected) <= 1e-12 * expected, "\(scheme)")
    }
  }

  @Test func modelBasedRoundIsOneLocalEpochPlusModelTransfers() throws {
    // |D_k| = 80, b = 8: 10 gradient steps of 8 samples and 9 updates before the upload.
    let scenario = FederatedFixtures.scenario()
    let solver = try FEELSolver(scenario)
    var p = try Self.planner(.modelBased)
    let plan = try p.next(solver: solver, solverChanged: true)
    let third = [Double](repeating: 1.0 / 3, count: 3)
    let compute = scenario.devices.enumerated().map { k, d -> Double in
      guard case .cpu(let hz) = d.compute else { return .nan }
      return (80 * scenario.cyclesPerSample! + 9 * scenario.updateCycles) / hz
    }
    let expected = Self.roundSeconds(scenario, compute: compute, x: third, y: third)
    #expect(abs(plan.roundSeconds - expected) <= 1e-12 * expected)
    #expect(plan.samples == Self.sizes)
    let ind = p.individualPlan(solver: solver, epochs: 3)
    let compute3 = scenario.devices.enumerated().map { k, d -> Double in
      guard case .cpu(let hz) = d.compute else { return .nan }
      return (240 * scenario.cyclesPerSample! + 29 * scenario.updateCycles) / hz
    }
    let expected3 = Self.roundSeconds(scenario, compute: compute3, x: third, y: third)
    #expect(abs(ind.roundSeconds - expected3) <= 1e-12 * expected3)
  }

  @Test(arguments: [TrainingScheme.optimal, .randomBatch, .fullBatch, .modelBased])
  func theClockIsTheSumOfTheRoundLatencies(scheme: TrainingScheme) throws {
    let trainer = try FederatedFixtures.trainer(rounds: 6)
    let key = RunKey(scheme: scheme, partition: .iid, seed: 3)
    let run = try trainer.run(key)
    // The same planner stream, summed round by round.
    let part = try trainer.partition(.iid, seed: 3)
    var planner = try RoundPlanner(
      scheme: scheme, baselineSlots: trainer.options.baselineSlots,
      fixedBatch: trainer.options.fixedBatch, localSizes: part.sizes,
      seed: RunSeeds(3).randomBatch)
    let solver = try FEELSolver(trainer.scenario)
    var total = 0.0
    var clocks: [Double] = [0]
    for r in 0..<6 {
      total += try planner.next(solver: solver, solverChanged: r == 0).roundSeconds
      clocks.append(total)
    }
    #expect(run.rounds == 6)
    #expect(run.records.map(\.round) == Array(0...6))
    #expect(run.records.map(\.clockSeconds) == clocks)
    #expect(run.clockSeconds == total)
    if scheme == .optimal {
      let integer = try IntegerBatches.solve(solver, globalBatch: nil).solution
      let data = solver.data
      let T = data.latency(
        batches: integer.batches,
        uplinkFractions: integer.uplinkSlotSeconds.map { $0 / data.uplinkFrameSeconds },
        downlinkFractions: integer.downlinkSlotSeconds.map { $0 / data.downlinkFrameSeconds }
      ).roundSeconds
      #expect(abs(run.clockSeconds - 6 * T) <= 1e-12 * 6 * T)
    }
  }

  @Test func aTimeBudgetStopsBeforeTheRoundThatWouldExceedIt() throws {
    var o = FederatedFixtures.options()
    let solver = try FEELSolver(FederatedFixtures.scenario())
    let T = try IntegerBatches.solve(solver, globalBatch: nil).solution.roundSeconds
    o.stop = .timeBudget(4.5 * T)
    let trainer = try FederatedFixtures.trainer(options: o)
    let run = try trainer.run(RunKey(scheme: .optimal, partition: .iid, seed: 1))
    #expect(run.rounds == 4)
    #expect(run.clockSeconds <= 4.5 * T)
  }

  @Test func fadingRedrawsTheChannelAndResolves() throws {
    var env = try LatencyEnvironment(
      scenario: FederatedFixtures.scenario(), fading: true, seed: 9)
    var planner = try Self.planner(.optimal)
    var times = Set<Double>()
    for _ in 0..<5 {
      let (solver, changed) = try env.nextRound()
      #expect(changed)
      let plan = try planner.next(solver: solver, solverChanged: changed)
      let integer = try IntegerBatches.solve(solver, globalBatch: nil).solution
      // EvaluatedPolicy recomputes T from the slots: equal up to rounding.
      #expect(abs(plan.roundSeconds - integer.roundSeconds) <= 1e-12 * integer.roundSeconds)
      times.insert(plan.roundSeconds)
    }
    #expect(times.count == 5)
  }
}
