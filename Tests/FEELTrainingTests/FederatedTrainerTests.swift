import FEEL
import Testing

@testable import FEELTraining

/// Rounds of eqs. (1)–(2) on real (synthetic) learning: determinism, the eq. (1) identity
/// end to end, and that training learns.
@Suite struct FederatedTrainerTests {
  @Test(arguments: TrainingScheme.allCases)
  func theSameSeedGivesTheSameLog(scheme: TrainingScheme) throws {
    let trainer = try FederatedFixtures.trainer(rounds: 3)
    let key = RunKey(scheme: scheme, partition: .noniid, seed: 4)
    let a = try trainer.run(key)
    let b = try trainer.run(key)
    #expect(a == b)
    #expect(a.records.count == 4)
    #expect(a.records.allSatisfy { $0.trainingLoss.isFinite && (0...1).contains($0.testAccuracy) })
    let other = try trainer.run(RunKey(scheme: scheme, partition: .noniid, seed: 5))
    #expect(other.records.map(\.trainingLoss) != a.records.map(\.trainingLoss))
  }

  /// One optimal round replayed by hand: the devices' batches from the same sampler
  /// streams, one gradient over the *union* of the batches, one step with η₀√(B/B₀). The
  /// trainer instead averages the per-device gradients with weights B_k (eq. 1); both must
  /// give the same model, hence the same losses after the round.
  @Test func eq1WeightedAverageEqualsTheUnionGradientOnARound() throws {
    let trainer = try FederatedFixtures.trainer(rounds: 1)
    let key = RunKey(scheme: .optimal, partition: .iid, seed: 8)
    let run = try trainer.run(key)
    let seeds = RunSeeds(8)
    let part = try trainer.partition(.iid, seed: 8)
    var planner = try RoundPlanner(
      scheme: .optimal, baselineSlots: .equal, fixedBatch: 8, localSizes: part.sizes,
      seed: seeds.randomBatch)
    let plan = try planner.next(solver: FEELSolver(trainer.scenario), solverChanged: true)
    var union: [Int] = []
    for k in 0..<part.deviceCount {
      var s = LocalSampler(indices: part.devices[k], seed: seeds.device(k))
      union += s.next(plan.samples[k])
    }
    var model = MLP(
      inputs: 16, hidden: trainer.options.hidden, classes: trainer.classCount, seed: seeds.model)
    let workspace = MLPWorkspace(model: model, maxBatch: 256)
    var g: [Float] = []
    _ = model.lossAndGradient(on: trainer.train, indices: union, gradient: &g, workspace: workspace)
    model.apply(gradient: g, learningRate: trainer.options.learningRate(globalBatch: union.count))
    let after = model.evaluate(on: trainer.train, workspace: workspace)
    let test = model.evaluate(on: trainer.test, workspace: workspace)
    let logged = try #require(run.records.last)
    #expect(logged.round == 1)
    #expect(logged.samples == union.count)
    #expect(abs(logged.trainingLoss - after.loss) <= 1e-5 * after.loss)
    #expect(logged.testAccuracy == test.accuracy)
    #expect(run.records[0].trainingLoss > logged.trainingLoss)
  }

  @Test func weightedAverageOfDeviceGradientsIsTheUnionGradient() throws {
    let data = FederatedFixtures.images(count: 120, seed: 2)
    let model = MLP(inputs: 16, hidden: 6, classes: 3, seed: 1)
    let workspace = MLPWorkspace(model: model, maxBatch: 64)
    let batches = [Array(0..<7), Array(7..<40), Array(40..<41), Array(41..<100)]
    var gradients: [[Float]] = []
    for b in batches {
      var g: [Float] = []
      _ = model.lossAndGradient(on: data, indices: b, gradient: &g, workspace: workspace)
      gradients.append(g)
    }
    let average = GradientAggregation.weightedAverage(gradients, batches: batches.map(\.count))
    var union: [Float] = []
    _ = model.lossAndGradient(
      on: data, indices: batches.flatMap { $0 }, gradient: &union, workspace: workspace)
    let scale = union.map { abs($0) }.max()!
    for i in union.indices {
      #expect(abs(average[i] - union[i]) <= 1e-5 * scale, "parameter \(i)")
    }
  }

  @Test func optimalTrainingLearnsTheSyntheticClasses() throws {
    var o = FederatedFixtures.options(rounds: 40)
    o.evaluateEvery = 10
    o.learningRate = 0.2
    let trainer = try FederatedFixtures.trainer(options: o)
    let run = try trainer.run(RunKey(scheme: .optimal, partition: .iid, seed: 1))
    #expect(run.records.map(\.round) == [0, 10, 20, 30, 40])
    #expect(run.records.last!.testAccuracy >= 0.9)
    #expect(run.records.last!.trainingLoss < run.records[0].trainingLoss)
  }

  @Test func badOptionsAreRejectedNamingTheOption() throws {
    var o = FederatedFixtures.options()
    o.learningRate = .nan
    #expect(
      throws: InfeasibleRequest(
        field: "learningRate", reason: "must be a finite number > 0 (got nan)")
    ) {
      _ = try FederatedFixtures.trainer(options: o)
    }
    o = FederatedFixtures.options()
    o.stop = .timeBudget(-1)
    #expect(throws: InfeasibleRequest.self) { _ = try FederatedFixtures.trainer(options: o) }
    // Five training samples cannot fill 2K = 6 non-IID shards.
    #expect(throws: InfeasibleRequest.self) {
      let t = try FederatedFixtures.trainer(train: 5, devices: 3)
      _ = try t.run(RunKey(scheme: .optimal, partition: .noniid, seed: 1))
    }
  }
}
