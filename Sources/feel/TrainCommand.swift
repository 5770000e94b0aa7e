import ArgumentParser
import FEEL
import FEELCommandLine
import FEELTraining
import Foundation

/// `feel train [SCENARIO] [options]`: federated training of an MLP on real images on the
/// simulated wireless clock (the paper's Section VI), one scheme or all, over partitions
/// and seeds, shardable, with logs, pictures and a Table II-shaped summary.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Federated training on real data on the simulated wireless clock (Section VI).",
    discussion: """
      Trains a 784-H-10 MLP on Fashion-MNIST (or --data DIR) over the scenario's K devices \
      (default: the embedded Table I fleet with DenseNet121's s and C; --latency-from-model \
      takes s and C from the MLP). Every round advances the simulated clock by the latency \
      model's round time T of the scheme's batches and slots (what `feel compare` reports). \
      Schemes: optimal, gradient-based, online-learning, full-batch, random-batch, \
      equal-batches, model-based, individual-learning. A study is schemes x partitions x \
      seeds; --shard i/n runs every n-th run from the i-th and --merge combines the \
      --output files of the shards. Default budget: 300 rounds of the optimum's T \
      (--quick: 100 rounds, 1 seed).
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(help: "Scheme(s) to train, comma-separated (default: optimal).")
  var scheme: String?

  @Flag(help: "Train every scheme (on both partitions unless --partition).")
  var compare = false

  @Option(help: "iid, noniid or both (default: iid; both with --compare).")
  var partition: String?

  @Option(help: "The first seed (an integer in 0...2^53).")
  var seed: String = "1"

  @Option(help: "Number of seeds: seed, seed + 1, ... (default 5; 1 with --quick).")
  var seeds: String?

  @Option(help: "Stop every run after this many rounds (local epochs for individual learning).")
  var rounds: String?

  @Option(
    name: .customLong("time-budget"),
    help: "Stop every run before the first round that would end after this many simulated seconds.")
  var timeBudget: String?

  @Option(
    name: .customLong("target-accuracy"),
    help: "Test-accuracy target of the times to target, in (0, 1] (default 0.8).")
  var targetAccuracy: String?

  @Option(
    name: .customLong("target-loss"),
    help: "Training-loss target of the times to target, > 0 (default 0.55).")
  var targetLoss: String?

  @Option(help: "Directory of IDX files (default: /usr/share/datasets/fashion-mnist).")
  var data: String?

  @Option(name: .customLong("svg-dir"), help: "Write loss and accuracy pictures into this folder.")
  var svgDir: String?

  @Option(
    name: .customLong("loss-decay"),
    help:
      "Optimize the optimal (and equal-batches) policy under this lossDecay model: JSON or a file.")
  var lossDecay: String?

  @Flag(help: "Print one JSON object (settings, runs with their records, summary).")
  var json = false

  @Option(help: "Write the JSON object to this file (atomically).")
  var output: String?

  @Option(help: "Write the per-record log as CSV to this file (atomically).")
  var csv: String?

  @Flag(help: "A preset that finishes in about a minute: 1 seed, a budget of 100 optimal rounds.")
  var quick = false

  @Option(help: "Run only shard i of n of the study (1 <= i <= n).")
  var shard: String?

  @Option(
    parsing: .upToNextOption,
    help: "Merge the --output files of shards (no training) and summarize them.")
  var merge: [String] = []

  @Flag(help: "Skip the runs already in the --checkpoint file and continue the study.")
  var resume = false

  @Option(help: "Checkpoint file: rewritten (atomically) after every finished run.")
  var checkpoint: String?

  @Option(
    name: .customLong("checkpoint-every"),
    help: "Also save every unfinished run each N rounds beside --checkpoint FILE (default 10).")
  var checkpointEvery: String?

  @Flag(help: "Per-round Rayleigh fading: the policy is re-solved every round.")
  var fading = false

  @Flag(
    name: .customLong("latency-from-model"),
    help: "Take s = 32 p bits and C = FLOPs/9 cycles per sample from the MLP itself.")
  var latencyFromModel = false

  @Option(
    name: .customLong("baseline-slots"),
    help: "Slots of every scheme but the optimum: equal or optimal.")
  var baselineSlots: String = "equal"

  @Option(
    name: .customLong("fixed-batch"),
    help: "Batch of gradient-based FEEL; local mini-batch of model-based and individual.")
  var fixedBatch: String = "32"

  @Option(
    name: .customLong("learning-rate"),
    help: "eta_0 of the learning rate eta = eta_0 sqrt(B / B_0).")
  var learningRate: String = "0.05"

  @Option(
    name: .customLong("reference-batch"), help: "B_0 of the learning-rate rule.")
  var referenceBatch: String = "32"

  @Option(help: "Hidden units H of the MLP.")
  var hidden: String = "128"

  @Option(help: "About how many evaluations per run (default 20; 10 with --quick).")
  var evaluations: String?

  @Option(
    name: .customLong("evaluate-every"), help: "Evaluate every N rounds instead (1: every round).")
  var evaluateEvery: String?

  @Option(
    name: .customLong("loss-samples"),
    help:
      "Training samples of the training-loss estimate (0: all; default 5000; 2000 with --quick).")
  var lossSamples: String?

  func run() throws {
    let targets = try parsedTargets()
    if !merge.isEmpty {
      try runMerge(targets: targets)
      return
    }
    // Ctrl-C while a file is written removes its temporary file; the target stays intact.
    AtomicFile.installInterruptHandler()
    var options = try parsedOptions()
    let plan = try parsedPlan()
    let shardSpec = try shard.map { try StudyPlan.parseShard($0) }
    if resume, checkpoint == nil {
      throw InfeasibleRequest(field: "--resume", reason: "needs --checkpoint FILE")
    }
    if checkpointEvery != nil, checkpoint == nil {
      throw InfeasibleRequest(field: "--checkpoint-every", reason: "needs --checkpoint FILE")
    }
    let every = try Self.integer(checkpointEvery ?? "10", "--checkpoint-every", in: 1...10_000_000)
    let stopGiven = try parsedStop()
    try options.validate()
    let measured = try lossDecay.map { try LossDecayOption.parse($0) }
    let directory = data.map { URL(fileURLWithPath: $0) } ?? IDXDataset.fashionMNISTDirectory
    let dataset: IDXDataset
    do { dataset = try IDXDataset.load(directory: directory) } catch {
      throw InfeasibleRequest(field: "--data", reason: error.description)
    }
    var scenario = try input.load()
    if let measured { scenario = try scenario.with { $0.lossDecay = measured } }
    if latencyFromModel {
      let model = MLP(
        inputs: dataset.train.featureCount, hidden: options.hidden,
        classes: Swift.max(dataset.train.classCount, dataset.test.classCount, 2), seed: 0)
      scenario = try scenario.withLatency(ofModel: model)
    }
    let optimum = try IntegerBatches.solve(FEELSolver(scenario), globalBatch: nil).solution
    options.stop = stopGiven ?? .timeBudget((quick ? 100 : 300) * optimum.roundSeconds)
    try options.validate()
    let settings = StudySettings(
      plan: plan, options: options, targetAccuracy: targets.accuracy, targetLoss: targets.loss,
      data: directory.path, trainCount: dataset.train.count, testCount: dataset.test.count,
      scenario: scenario.name ?? "(unnamed)", gradientBits: scenario.gradientBits,
      cyclesPerSample: scenario.cyclesPerSample, latencyFromModel: latencyFromModel)
    let trainer = try FederatedTrainer(
      train: dataset.train, test: dataset.test, scenario: scenario, options: options)
    let keys = try shardSpec.map { try plan.shard($0.index, of: $0.count) } ?? plan.keys
    let shardText = shardSpec.map { "\($0.index)/\($0.count)" }

    var done: [TrainingRun] = []
    if resume, let path = checkpoint, FileManager.default.fileExists(atPath: path) {
      let saved: StudyResult
      do { saved = try StudyResult(contentsOf: URL(fileURLWithPath: path)) } catch {
        let reason = (error as? InfeasibleRequest)?.reason ?? "\(error)"
        throw InfeasibleRequest(field: "--checkpoint", reason: "\(path): \(reason)")
      }
      guard saved.settings == settings, saved.shard == shardText else {
        throw InfeasibleRequest(
          field: "--checkpoint", reason: "\(path) was written by a run with other settings")
      }
      done = saved.runs
    }
    let finishedKeys = Set(done.map(\.key))
    let todo = keys.filter { !finishedKeys.contains($0) }
    let bar = ProgressBar(total: 1000, label: "train \(todo.count) runs")
    let store = CheckpointStore(
      path: checkpoint, settings: settings, shard: shardText, runs: done)
    let runFiles = try checkpoint.map {
      try RunCheckpointFiles(
        path: $0, every: every, settings: settings, shard: shardText, keys: todo,
        resume: resume, finished: Array(finishedKeys))
    }
    var perRun: (@Sendable (RunKey) -> RunCheckpointing?)? = nil
    if let runFiles { perRun = { runFiles.checkpointing($0) } }
    let runs = try StudyRunner.run(
      todo, trainer: trainer, progress: { bar.update(Int(($0 * 1000).rounded(.down))) },
      finished: {
        store.add($0)
        runFiles?.remove($0.key)
      }, checkpointing: perRun)
    bar.finish()
    try store.error.map { throw $0 }
    let result = StudyResult(settings: settings, runs: done + runs, shard: shardText)
    try emit(result)
  }

  /// Summarizes merged shard files.
  func runMerge(targets: (accuracy: Double, loss: Double)) throws {
    let parts = try merge.map { path in
      (name: path, result: try StudyResult(contentsOf: URL(fileURLWithPath: path)))
    }
    var merged = try StudyResult.merge(parts)
    // Targets given with --merge re-summarize the study at other targets.
    if targetAccuracy != nil { merged.settings.targetAccuracy = targets.accuracy }
    if targetLoss != nil { merged.settings.targetLoss = targets.loss }
    let missing = merged.missing
    if !missing.isEmpty {
      FileHandle.standardError.write(
        Data(
          "feel: warning: \(missing.count) run(s) of the study are in none of the files\n".utf8))
    }
    try emit(merged)
  }

  func emit(_ result: StudyResult) throws {
    let summary = StudySummary(result)
    let object = result.jsonValue(summary: summary)
    if let output {
      try AtomicFile.write(
        object.serialized() + "\n", to: URL(fileURLWithPath: output), field: "--output")
    }
    if let csv {
      try AtomicFile.write(result.csv, to: URL(fileURLWithPath: csv), field: "--csv")
    }
    if let svgDir {
      let folder = URL(fileURLWithPath: svgDir)
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw InfeasibleRequest(field: "--svg-dir", reason: "cannot create \(svgDir)")
      }
      for (name, svg) in TrainingFigures.all(summary, subtitle: Self.subtitle(result.settings)) {
        try AtomicFile.write(svg, to: folder.appendingPathComponent(name), field: "--svg-dir")
      }
    }
    if json {
      print(object.serialized())
    } else {
      print(table(result, summary))
    }
  }

  func table(_ result: StudyResult, _ summary: StudySummary) -> String {
    let s = result.settings
    var out: [String] = []
    var budget = ""
    switch s.options.stop {
    case .rounds(let n): budget = "\(n) rounds per run"
    case .timeBudget(let t): budget = String(format: "time budget %.0f simulated s", t)
    }
    out.append(
      "Scenario: \(s.scenario); data \(s.data) (\(s.trainCount) train, \(s.testCount) test); "
        + "MLP 784-\(s.options.hidden)-10; \(budget); seeds \(s.plan.seeds.map(String.init).joined(separator: ","))"
        + (result.shard.map { "; shard \($0)" } ?? ""))
    out.append(
      String(
        format: "Targets: test accuracy %.3f, training loss %.3f (smoothed mean curves). "
          + "eta = %.4g sqrt(B/%.4g); baseline slots %@; b = %d%@.",
        s.targetAccuracy, s.targetLoss, s.options.learningRate, s.options.referenceBatch,
        s.options.baselineSlots.rawValue, s.options.fixedBatch, s.options.fading ? "; fading" : ""))
    out.append("")
    out.append(summary.detailTable)
    out.append("")
    out.append(
      "Table II (accuracy at the horizon, mean ± std; speedup = T_target(individual)/T_target):")
    out.append(summary.tableII)
    return out.joined(separator: "\n")
  }

  /// The pictures' subtitle, from the settings alone (so merged shards draw the same).
  static func subtitle(_ s: StudySettings) -> String {
    "\(s.scenario), MLP 784-\(s.options.hidden)-10, mean of \(s.plan.seeds.count) seed(s)"
  }

  // MARK: Parsing

  static func integer(_ text: String, _ field: String, in range: ClosedRange<Int>) throws -> Int {
    guard let n = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
      throw InfeasibleRequest(
        field: field,
        reason: "must be an integer in \(range.lowerBound)...\(range.upperBound) (got '\(text)')")
    }
    return n
  }

  static func number(_ text: String, _ field: String) throws -> Double {
    guard let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else {
      throw InfeasibleRequest(field: field, reason: "must be a finite number (got '\(text)')")
    }
    return x
  }

  func parsedTargets() throws -> (accuracy: Double, loss: Double) {
    let a = try Self.number(targetAccuracy ?? "0.8", "--target-accuracy")
    guard a > 0, a <= 1 else {
      throw InfeasibleRequest(
        field: "--target-accuracy", reason: "must be a fraction in (0, 1] (got \(a))")
    }
    let l = try Self.number(targetLoss ?? "0.55", "--target-loss")
    guard l > 0 else {
      throw InfeasibleRequest(field: "--target-loss", reason: "must be > 0 (got \(l))")
    }
    return (a, l)
  }

  func parsedStop() throws -> StopRule? {
    if rounds != nil, timeBudget != nil {
      throw InfeasibleRequest(
        field: "--rounds", reason: "give at most one of --rounds and --time-budget")
    }
    if let rounds { return .rounds(try Self.integer(rounds, "--rounds", in: 1...10_000_000)) }
    if let timeBudget {
      let t = try Self.number(timeBudget, "--time-budget")
      guard t > 0 else {
        throw InfeasibleRequest(field: "--time-budget", reason: "must be > 0 seconds (got \(t))")
      }
      return .timeBudget(t)
    }
    return nil
  }

  func parsedOptions() throws -> TrainingOptions {
    var o = TrainingOptions()
    o.hidden = try Self.integer(hidden, "--hidden", in: 1...100_000)
    o.learningRate = try Self.number(learningRate, "--learning-rate")
    o.referenceBatch = try Self.number(referenceBatch, "--reference-batch")
    o.fixedBatch = try Self.integer(fixedBatch, "--fixed-batch", in: 1...1_000_000)
    guard let slots = SlotAllocation(rawValue: baselineSlots) else {
      throw InfeasibleRequest(
        field: "--baseline-slots", reason: "must be equal or optimal (got '\(baselineSlots)')")
    }
    o.baselineSlots = slots
    o.fading = fading
    o.evaluations = try Self.integer(
      evaluations ?? (quick ? "10" : "20"), "--evaluations", in: 1...100_000)
    o.evaluateEvery = try evaluateEvery.map {
      try Self.integer($0, "--evaluate-every", in: 1...10_000_000)
    }
    o.lossSamples = try Self.integer(
      lossSamples ?? (quick ? "2000" : "5000"), "--loss-samples", in: 0...100_000_000)
    if let stop = try parsedStop() { o.stop = stop }
    try o.validate()
    return o
  }

  func parsedPlan() throws -> StudyPlan {
    if compare, scheme != nil {
      throw InfeasibleRequest(
        field: "--scheme", reason: "give at most one of --scheme and --compare")
    }
    let schemes: [TrainingScheme] =
      compare
      ? TrainingScheme.allCases
      : try (scheme ?? "optimal").split(separator: ",", omittingEmptySubsequences: false).map {
        try TrainingScheme.named(String($0).trimmingCharacters(in: .whitespaces))
      }
    let partitions: [PartitionKind]
    switch partition ?? (compare ? "both" : "iid") {
    case "iid": partitions = [.iid]
    case "noniid": partitions = [.noniid]
    case "both": partitions = [.iid, .noniid]
    case let other:
      throw InfeasibleRequest(
        field: "--partition", reason: "must be iid, noniid or both (got '\(other)')")
    }
    let limit = 1 << 53
    let first = try Self.integer(seed, "--seed", in: 0...limit)
    let count = try Self.integer(seeds ?? (quick ? "1" : "5"), "--seeds", in: 1...10_000)
    guard first + count - 1 <= limit else {
      throw InfeasibleRequest(field: "--seeds", reason: "seed + seeds - 1 must be <= 2^53")
    }
    return try StudyPlan(
      schemes: schemes, partitions: partitions,
      seeds: (0..<count).map { UInt64(first + $0) })
  }
}

/// Collects finished runs and rewrites the checkpoint file after each (atomically).
final class CheckpointStore: @unchecked Sendable {
  private let path: String?
  private let settings: StudySettings
  private let shard: String?
  private var runs: [TrainingRun]
  private(set) var error: Error?
  private let lock = NSLock()

  init(path: String?, settings: StudySettings, shard: String?, runs: [TrainingRun]) {
    self.path = path
    self.settings = settings
    self.shard = shard
    self.runs = runs
  }

  func add(_ run: TrainingRun) {
    guard let path else { return }
    lock.lock()
    defer { lock.unlock() }
    runs.append(run)
    let result = StudyResult(settings: settings, runs: runs, shard: shard)
    do {
      try AtomicFile.write(
        result.jsonValue(summary: StudySummary(result)).serialized(pretty: false) + "\n",
        to: URL(fileURLWithPath: path), field: "--checkpoint")
    } catch {
      self.error = error
    }
  }
}
