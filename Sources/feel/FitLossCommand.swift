import ArgumentParser
import FEEL
import FEELCommandLine
import FEELTraining
import Foundation

/// `feel fit-loss [SCENARIO] [options]`: measures the loss decrease per round ΔL(B) on real
/// training (the MLP on Fashion-MNIST) and fits the `lossDecay` models to it.
struct FitLossCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit-loss",
    abstract: "Measure the loss decrease per round against the batch and fit lossDecay.",
    discussion: """
      Probe protocol: reference runs of plain minibatch SGD (MLP 784-H-10, batch B0, \
      learning rate eta0) keep the model at each checkpoint; from each checkpoint, one \
      step at each batch B of the grid with eta = eta0*sqrt(B/B0), repeated with fresh \
      batches, measures the decrease of the loss on a fixed subset of the training images. \
      The means are fitted by dL = xi*B^alpha (log-log least squares, bootstrap 95 % \
      interval for alpha) and dL = Linf*B/(B + B_n); the fits are compared by residuals and \
      AIC. Second measure: rounds to a target loss S(B) of fixed-batch runs, fitted by \
      S ~ B^-alpha and S = S_min*(1 + B_n/B). With SCENARIO, batches above the fleet's \
      largest global batch (K * maxBatch) are dropped from both grids. Lists are comma \
      separated; --rounds-batches none skips S(B). Same seed, same output on one machine.
      """)

  @OptionGroup var scenarioArgument: ScenarioArgument

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Option(name: .customLong("svg-dir"), help: "Write loss-decay.svg and rounds-to-target.svg here.")
  var svgDir: String?

  @Option(help: "Directory of IDX files (default: Debian's dataset-fashion-mnist).")
  var data: String?

  @Flag(help: "A small, fast setting (H 32, 2 checkpoints, B 8...1024, 6 repeats).")
  var quick = false

  @Option(help: "Seed of every random draw (default 1).")
  var seed: UInt64?

  @Option(help: "Hidden width H of the MLP 784-H-10 (default 128).")
  var hidden: Int?

  @Option(name: .customLong("base-batch"), help: "B0: batch of the reference run (default 64).")
  var baseBatch: Int?

  @Option(name: .customLong("learning-rate"), help: "eta0: learning rate at B0 (default 0.01).")
  var learningRate: Double?

  @Option(help: "Steps of the reference run to probe from (default 100,300,1000).")
  var checkpoints: String?

  @Option(
    name: .customLong("reference-runs"),
    help: "Independent reference runs whose checkpoints are pooled (default 3).")
  var referenceRuns: Int?

  @Option(help: "Global batches of the probe (default 8,16,...,4096).")
  var batches: String?

  @Option(help: "Probe steps per checkpoint and batch (default 20).")
  var repeats: Int?

  @Option(
    name: .customLong("eval-size"), help: "Training images the loss is measured on (default 4096).")
  var evalSize: Int?

  @Option(help: "Bootstrap resamples for the intervals (default 1000; 0: none).")
  var bootstrap: Int?

  @Option(
    name: .customLong("rounds-batches"),
    help: "Batches of the fixed-B runs for S(B) (default 16,64,256,1024,4096).")
  var roundsBatches: String?

  @Option(name: .customLong("rounds-seeds"), help: "Fixed-B runs per batch (default 2).")
  var roundsSeeds: Int?

  @Option(
    name: .customLong("target-loss"),
    help: "Target loss of S(B) (default: the reference runs' mean loss at the last checkpoint).")
  var targetLoss: Double?

  @Option(name: .customLong("max-rounds"), help: "Most steps of a fixed-B run (default 20000).")
  var maxRounds: Int?

  /// The settings: the preset, then every option given.
  func options() throws -> LossProbeOptions {
    var o = quick ? LossProbeOptions.quick : LossProbeOptions()
    if let seed { o.seed = seed }
    if let hidden { o.hidden = hidden }
    if let baseBatch { o.baseBatch = baseBatch }
    if let learningRate { o.baseLearningRate = learningRate }
    if let checkpoints { o.checkpoints = try Self.list(checkpoints, "--checkpoints") }
    if let referenceRuns { o.referenceRuns = referenceRuns }
    if let batches { o.batches = try Self.list(batches, "--batches") }
    if let repeats { o.repeats = repeats }
    if let evalSize { o.evaluationSize = evalSize }
    if let bootstrap { o.bootstrap = bootstrap }
    if let roundsBatches {
      o.roundsBatches =
        roundsBatches == "none" ? [] : try Self.list(roundsBatches, "--rounds-batches")
    }
    if let roundsSeeds { o.roundsSeeds = roundsSeeds }
    if let targetLoss { o.targetLoss = targetLoss }
    if let maxRounds { o.maxRounds = maxRounds }
    if scenarioArgument.scenario != nil {
      let scenario = try scenarioArgument.load()
      let capacity = scenario.deviceCount * scenario.maxBatch
      o.batches = o.batches.filter { $0 <= capacity }
      o.roundsBatches = o.roundsBatches.filter { $0 <= capacity }
      if Set(o.batches).count < 3 {
        throw InfeasibleRequest(
          field: "--batches",
          reason: "fewer than three batches are at most the scenario's K * maxBatch = \(capacity)")
      }
      if !o.roundsBatches.isEmpty, Set(o.roundsBatches).count < 3 { o.roundsBatches = [] }
    }
    do { try o.validate() } catch {
      throw InfeasibleRequest(field: error.option, reason: error.reason)
    }
    return o
  }

  /// Comma-separated integers.
  static func list(_ text: String, _ field: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    var values: [Int] = []
    for part in parts {
      guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else {
        throw InfeasibleRequest(
          field: field, reason: "must be comma-separated integers (got '\(text)')")
      }
      values.append(value)
    }
    return values
  }

  func run() throws {
    let o = try options()
    if let svgDir {
      do {
        try FileManager.default.createDirectory(
          at: URL(fileURLWithPath: svgDir), withIntermediateDirectories: true)
      } catch {
        throw InfeasibleRequest(field: "--svg-dir", reason: "cannot create directory '\(svgDir)'")
      }
    }
    let set: IDXDataset
    do {
      set = try IDXDataset.load(
        directory: data.map { URL(fileURLWithPath: $0, isDirectory: true) }
          ?? IDXDataset.fashionMNISTDirectory)
    } catch {
      throw InfeasibleRequest(field: data == nil ? "data" : "--data", reason: error.description)
    }
    let start = Date()
    let bar = ProgressBar(
      total: o.checkpoints.count * o.repeats + o.roundsBatches.count * o.roundsSeeds,
      label: "fit-loss")
    let result: LossProbeResult
    do {
      result = try LossProbe.run(on: set.train, options: o) { done, _ in bar.update(done) }
    } catch {
      bar.finish()
      switch error {
      case .invalidOption(let option, let reason):
        throw InfeasibleRequest(field: option, reason: reason)
      default:
        throw InfeasibleRequest(field: "fit-loss", reason: error.description)
      }
    }
    bar.finish()
    if let svgDir {
      for (name, svg) in result.figures() {
        let url = URL(fileURLWithPath: svgDir).appendingPathComponent(name)
        try AtomicFile.write(svg, to: url, field: "--svg-dir")
      }
    }
    if json {
      print(result.json().serialized())
    } else {
      print(result.table(), terminator: "")
      print(
        "(\(String(format: "%.1f", Date().timeIntervalSince(start))) s, matrix kernel: "
          + "\(MatrixKernel.description))")
    }
  }
}

extension LossProbeError {
  /// The option an ``invalidOption`` names, or `fit-loss`.
  var option: String {
    if case .invalidOption(let option, _) = self { return option }
    return "fit-loss"
  }

  /// Why, without the option.
  var reason: String {
    if case .invalidOption(_, let reason) = self { return reason }
    return description
  }
}
