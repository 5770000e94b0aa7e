import FEEL

/// Runs one scheme of Section VI on real data on the simulated clock.
///
/// A gradient-scheme round (eqs. 1–2): the planner gives the integer B_k and the slots;
/// device k takes the next B_k samples of its ``LocalSampler`` (no replacement within a
/// local epoch) and computes the mean gradient g_k on them with the shared global model;
/// the server forms g = Σ B_k g_k / B (eq. 1, ``GradientAggregation``); the model steps
/// θ ← θ − η g with η = η₀√(B/B₀); the clock advances by the plan's T. The model-exchanging
/// schemes are described in ``TrainingScheme``.
///
/// The run is a pure function of the data, the scenario, the options and the key: the same
/// inputs give the same log on one machine (float32 arithmetic in a fixed order, seeded
/// streams of ``RunSeeds``). It uses one ``MLPWorkspace``, so concurrent runs need one
/// trainer call each (the trainer itself holds no mutable state).
public struct FederatedTrainer: Sendable {
  /// The training set (partitioned over the devices).
  public let train: LabeledImages
  /// The test set.
  public let test: LabeledImages
  /// The FEEL system whose latency model times the rounds.
  public let scenario: Scenario
  /// Everything else.
  public let options: TrainingOptions

  /// A trainer.
  ///
  /// - Throws: ``InfeasibleRequest`` for invalid options, or when the test images have a
  ///   different size from the training images (field `dataset`).
  public init(
    train: LabeledImages, test: LabeledImages, scenario: Scenario, options: TrainingOptions
  ) throws {
    try options.validate()
    guard train.featureCount == test.featureCount else {
      throw InfeasibleRequest(
        field: "dataset",
        reason: "training images are \(train.rows)×\(train.columns) but test images are "
          + "\(test.rows)×\(test.columns)")
    }
    self.train = train
    self.test = test
    self.scenario = scenario
    self.options = options
  }

  /// The number of classes the model predicts (enough for both sets).
  public var classCount: Int { Swift.max(train.classCount, test.classCount, 2) }

  /// The partition of run seed `seed`.
  public func partition(_ kind: PartitionKind, seed: UInt64) throws -> DataPartition {
    try DataPartition(
      kind, labels: train.labels, deviceCount: scenario.deviceCount,
      seed: RunSeeds(seed).partition)
  }

  /// Trains one run.
  ///
  /// - Parameters:
  ///   - checkpointing: when given, the run's full state is handed to its `save` after every
  ///     `every`-th round, and a run given a `resume` checkpoint continues from it to the same
  ///     log as an uninterrupted run (``RunCheckpoint``).
  ///   - progress: called after every round with the fraction done in [0, 1].
  /// - Throws: ``InfeasibleRequest`` or ``ScenarioError`` (bad options, fewer than 2K
  ///   training samples, an invalid faded scenario, a checkpoint of another run, an error of
  ///   `save`).
  /// - Complexity: per gradient round O(B·p) for the gradients plus O(K·p) for eq. (1); per
  ///   local epoch O(|D|·p); per evaluation O((n_loss + n_test)·p), p = parameter count; per
  ///   checkpoint O(p + |D|).
  public func run(
    _ key: RunKey, checkpointing: RunCheckpointing? = nil, progress: ((Double) -> Void)? = nil
  ) throws -> TrainingRun {
    let seeds = RunSeeds(key.seed)
    let part = try partition(key.partition, seed: key.seed)
    let K = part.deviceCount
    var environment = try LatencyEnvironment(
      scenario: scenario, fading: options.fading, seed: seeds.fading)
    var planner = try RoundPlanner(
      scheme: key.scheme, baselineSlots: options.baselineSlots, fixedBatch: options.fixedBatch,
      localSizes: part.sizes, seed: seeds.randomBatch)
    var model = MLP(
      inputs: train.featureCount, hidden: options.hidden, classes: classCount, seed: seeds.model)
    let workspace = MLPWorkspace(
      model: model, maxBatch: Swift.max(256, scenario.maxBatch, options.fixedBatch))
    var samplers = (0..<K).map { LocalSampler(indices: part.devices[$0], seed: seeds.device($0)) }
    let lossIndices = lossSubset(seed: seeds.lossSubset)

    var log = Log(options: options)
    var clock = SimulatedClock()
    var samples = 0
    var firstBatch = 0
    var firstSeconds = Double.nan
    var diverged = false

    func evaluate(_ m: MLP) -> TrainingRecord {
      let tr = m.evaluate(on: train, indices: lossIndices, workspace: workspace)
      let te = m.evaluate(on: test, workspace: workspace)
      return TrainingRecord(
        round: clock.rounds, clockSeconds: clock.seconds, trainingLoss: tr.loss,
        testAccuracy: te.accuracy, testLoss: te.loss, samples: samples)
    }
    func report() { progress?(log.fraction(clock)) }

    var locals = key.scheme.kind == .individual ? [MLP](repeating: model, count: K) : []
    if let saved = checkpointing?.resume {
      try saved.restore(
        context: checkpointing?.context ?? "", key: key, partition: part,
        environment: &environment, planner: &planner, model: &model, locals: &locals,
        samplers: &samplers, log: &log, clock: &clock, samples: &samples,
        firstBatch: &firstBatch, firstSeconds: &firstSeconds)
    } else {
      log.append(evaluate(model))
    }
    func checkpointIfDue() throws {
      guard let checkpointing, clock.rounds % checkpointing.every == 0 else { return }
      try checkpointing.save(
        RunCheckpoint(
          context: checkpointing.context, key: key, environment: environment, planner: planner,
          model: model, locals: locals, samplers: samplers, log: log, clock: clock,
          samples: samples, firstBatch: firstBatch, firstSeconds: firstSeconds))
    }
    switch key.scheme.kind {
    case .gradient, .federatedAveraging:
      var gradient = [Float](repeating: 0, count: model.parameterCount)
      while log.wantsAnotherRound(clock) {
        let (solver, changed) = try environment.nextRound()
        let plan = try planner.next(solver: solver, solverChanged: changed)
        guard log.fits(plan.roundSeconds, clock) else { break }
        if clock.rounds == 0 {
          firstBatch = plan.globalBatch
          firstSeconds = plan.roundSeconds
        }
        let finite: Bool
        if key.scheme.kind == .gradient {
          finite = gradientRound(
            &model, plan: plan, samplers: &samplers, gradient: &gradient, workspace: workspace)
        } else {
          finite = averagingRound(
            &model, sizes: part.sizes, samplers: &samplers, gradient: &gradient,
            workspace: workspace)
        }
        clock.advance(by: plan)
        samples += plan.globalBatch
        if !finite {
          diverged = true
          break
        }
        if log.isDue(clock) { log.append(evaluate(model)) }
        report()
        try checkpointIfDue()
      }
    case .individual:
      var gradient = [Float](repeating: 0, count: model.parameterCount)
      let solver = environment.baseSolver
      while log.wantsAnotherRound(clock) {
        let epochs = clock.rounds + 1
        let plan = planner.individualPlan(solver: solver, epochs: epochs)
        // The clock of individual learning is the one-round time of all epochs so far.
        guard log.fits(plan.roundSeconds - clock.seconds, clock) else { break }
        if clock.rounds == 0 {
          firstBatch = plan.globalBatch
          firstSeconds = plan.roundSeconds
        }
        var finite = true
        for k in 0..<K {
          finite =
            localEpoch(
              &locals[k], sampler: &samplers[k], gradient: &gradient, workspace: workspace)
            && finite
        }
        clock.advance(bySeconds: plan.roundSeconds - clock.seconds)
        samples += part.sizes.reduce(0, +)
        guard finite, let average = Self.average(locals, weights: part.sizes) else {
          diverged = true
          break
        }
        if log.isDue(clock) {
          var m = model
          try? m.replaceParameters(with: average)
          log.append(evaluate(m))
        }
        report()
        try checkpointIfDue()
      }
      if !diverged, log.records.last?.round != clock.rounds,
        let average = Self.average(locals, weights: part.sizes)
      {
        var m = model
        try? m.replaceParameters(with: average)
        log.append(evaluate(m))
      }
      return TrainingRun(
        key: key, records: log.records, rounds: clock.rounds, clockSeconds: clock.seconds,
        firstGlobalBatch: firstBatch, firstRoundSeconds: firstSeconds, diverged: diverged)
    }
    if log.records.last?.round != clock.rounds { log.append(evaluate(model)) }
    return TrainingRun(
      key: key, records: log.records, rounds: clock.rounds, clockSeconds: clock.seconds,
      firstGlobalBatch: firstBatch, firstRoundSeconds: firstSeconds, diverged: diverged)
  }

  /// One round of eqs. (1)–(2). Returns false when the round's loss was not finite.
  func gradientRound(
    _ model: inout MLP, plan: RoundPlan, samplers: inout [LocalSampler], gradient: inout [Float],
    workspace: MLPWorkspace
  ) -> Bool {
    let B = plan.globalBatch
    var aggregate = [Float](repeating: 0, count: model.parameterCount)
    var loss = 0.0
    for k in 0..<samplers.count where plan.samples[k] > 0 {
      let batch = samplers[k].next(plan.samples[k])
      let l = model.lossAndGradient(
        on: train, indices: batch, gradient: &gradient, workspace: workspace)
      loss += Double(batch.count) * l
      GradientAggregation.accumulate(
        gradient, into: &aggregate, weight: Float(batch.count) / Float(B))
    }
    guard loss.isFinite else { return false }
    model.apply(gradient: aggregate, learningRate: options.learningRate(globalBatch: B))
    return true
  }

  /// One FedAvg round: a local epoch on every device from the global model, then the
  /// |D_k|-weighted average of the local models.
  func averagingRound(
    _ model: inout MLP, sizes: [Int], samplers: inout [LocalSampler], gradient: inout [Float],
    workspace: MLPWorkspace
  ) -> Bool {
    var locals: [MLP] = []
    var finite = true
    for k in 0..<samplers.count {
      var local = model
      finite =
        localEpoch(&local, sampler: &samplers[k], gradient: &gradient, workspace: workspace)
        && finite
      locals.append(local)
    }
    guard finite, let average = Self.average(locals, weights: sizes) else { return false }
    do { try model.replaceParameters(with: average) } catch { return false }
    return true
  }

  /// One local epoch of mini-batch SGD (batch b, step η₀√(b'/B₀) for each batch of b'
  /// samples). Returns false when a loss was not finite.
  func localEpoch(
    _ model: inout MLP, sampler: inout LocalSampler, gradient: inout [Float],
    workspace: MLPWorkspace
  ) -> Bool {
    for batch in sampler.epoch(batch: options.fixedBatch) {
      let l = model.lossAndGradient(
        on: train, indices: batch, gradient: &gradient, workspace: workspace)
      guard l.isFinite else { return false }
      model.apply(gradient: gradient, learningRate: options.learningRate(globalBatch: batch.count))
    }
    return true
  }

  /// The weighted average of the models' parameters (nil when one is not finite).
  static func average(_ models: [MLP], weights: [Int]) -> [Float]? {
    guard let first = models.first else { return nil }
    let total = Float(weights.reduce(0, +))
    var sum = [Float](repeating: 0, count: first.parameterCount)
    for (m, w) in zip(models, weights) where w > 0 {
      GradientAggregation.accumulate(m.parameters, into: &sum, weight: Float(w) / total)
    }
    return sum.allSatisfy(\.isFinite) ? sum : nil
  }

  /// The seeded training-loss subset (nil: the whole training set).
  func lossSubset(seed: UInt64) -> [Int]? {
    let n = train.count
    let m = options.lossSamples
    guard m > 0, m < n else { return nil }
    var random = TrainingRandom(seed: seed)
    var all = Array(0..<n)
    for i in 0..<m {
      let j = i + random.below(n - i)
      all.swapAt(i, j)
    }
    return Array(all[0..<m]).sorted()
  }
}

/// The evaluation schedule and stopping rule of a run.
struct Log {
  let options: TrainingOptions
  var records: [TrainingRecord] = []
  var nextGrid = 1

  init(options: TrainingOptions) { self.options = options }

  mutating func append(_ r: TrainingRecord) { records.append(r) }

  /// Whether the stopping rule allows another round (before its time is known).
  func wantsAnotherRound(_ clock: SimulatedClock) -> Bool {
    switch options.stop {
    case .rounds(let n): return clock.rounds < n
    case .timeBudget(let t): return clock.seconds < t
    }
  }

  /// Whether a round of `seconds` still ends within the budget.
  func fits(_ seconds: Double, _ clock: SimulatedClock) -> Bool {
    guard seconds.isFinite, seconds > 0 else { return false }
    if case .timeBudget(let t) = options.stop { return clock.seconds + seconds <= t }
    return true
  }

  /// Whether the round just completed is recorded.
  mutating func isDue(_ clock: SimulatedClock) -> Bool {
    if let every = options.evaluateEvery { return clock.rounds % every == 0 }
    switch options.stop {
    case .rounds(let n):
      let step = Swift.max(1, (n + options.evaluations - 1) / options.evaluations)
      return clock.rounds % step == 0 || clock.rounds == n
    case .timeBudget(let t):
      let spacing = t / Double(options.evaluations)
      guard clock.seconds >= Double(nextGrid) * spacing else { return false }
      while Double(nextGrid) * spacing <= clock.seconds { nextGrid += 1 }
      return true
    }
  }

  /// The fraction of the run done.
  func fraction(_ clock: SimulatedClock) -> Double {
    switch options.stop {
    case .rounds(let n): return Swift.min(1, Double(clock.rounds) / Double(n))
    case .timeBudget(let t): return Swift.min(1, clock.seconds / t)
    }
  }
}
