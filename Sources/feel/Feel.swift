import ArgumentParser
import FEEL
import Foundation

/// `feel`: solves the training-acceleration problems of Ren, Yu and Ding for a FEEL
/// system (the command reference in the DocC catalog documents every command). Every invalid input exits with status 2 and one line on
/// standard error naming the field; an answer printed without a verified certificate
/// exits with status 3 and one line on standard error saying what failed.
@main
struct Feel: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "feel",
    abstract:
      "Optimal batch sizes and TDMA slots for federated edge learning, exact and certified.",
    discussion: """
      Without a subcommand, `feel` is `feel solve`; without a scenario file it solves the \
      embedded default scenario (the paper's Table I, K = 12 CPU devices).
      """,
    subcommands: [
      SolveCommand.self, CompareCommand.self, VerifyCommand.self, BenchCommand.self,
      SweepCommand.self,
      RoundsCommand.self, FitGPUCommand.self,
      FitLossCommand.self, TrainCommand.self,
    ],
    defaultSubcommand: SolveCommand.self)

  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let uncertified as UncertifiedAnswer {
      FileHandle.standardError.write(Data(("feel: " + uncertified.message + "\n").utf8))
      Foundation.exit(3)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // --help and --version print through the parser.
        exit(withError: error)
      }
      let message = oneLine(error)
      FileHandle.standardError.write(Data(("feel: " + message + "\n").utf8))
      Foundation.exit(2)
    }
  }

  /// The command-line flag of each library parameter an ``InfeasibleRequest`` may name
  /// (the library names parameters, `globalBatch`; the command line reports flags,
  /// `--global-batch`): the one place where the two meet.
  static let flags: [String: String] = [
    "globalBatch": "--global-batch", "fixedBatch": "--fixed-batch", "rounds": "--rounds",
    "from": "--from", "to": "--to", "steps": "--steps", "device": "--device",
    "dataset": "--data", "checkpoint": "--checkpoint", "hidden": "--hidden",
    "learningRate": "--learning-rate", "referenceBatch": "--reference-batch",
    "timeBudget": "--time-budget", "evaluations": "--evaluations",
    "evaluateEvery": "--evaluate-every", "lossSamples": "--loss-samples", "scheme": "--scheme",
    "baseBatch": "--base-batch", "checkpoints": "--checkpoints",
    "referenceRuns": "--reference-runs", "batches": "--batches", "repeats": "--repeats",
    "evaluationSize": "--eval-size", "bootstrap": "--bootstrap",
    "roundsBatches": "--rounds-batches", "roundsSeeds": "--rounds-seeds",
    "targetLoss": "--target-loss", "maxRounds": "--max-rounds", "partition": "--partition",
    "seeds": "--seeds", "shard": "--shard", "merge": "--merge",
  ]

  /// The flag of the library parameter `field` (``flags``), or `field` itself (a scenario
  /// path, or a flag the command line named already).
  static func flag(for field: String) -> String { flags[field] ?? field }

  /// The error as one line: scenario and request errors name their field.
  static func oneLine(_ error: Error) -> String {
    let text: String
    switch error {
    case let e as ScenarioError: text = e.description
    case let e as InfeasibleRequest: text = "\(flag(for: e.field)): \(e.reason)"
    default: text = message(for: error)
    }
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }
}
