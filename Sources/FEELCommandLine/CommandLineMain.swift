import ArgumentParser
import FEEL
import Foundation

/// A finite number given on the command line (`--global-batch 1e3`); NaN, infinities and
/// text that is not a number are refused by the parser, naming the option.
package struct FiniteNumber: ExpressibleByArgument, Sendable {
  /// The number.
  package var value: Double

  package init?(argument: String) {
    guard let value = Double(argument.trimmingCharacters(in: .whitespaces)), value.isFinite
    else { return nil }
    self.value = value
  }

  package var defaultValueDescription: String { "\(value)" }
}

/// How both executables end: the exit statuses and the one-line error of the CLI contract.
package enum CommandLineMain {
  /// Parses `Command` from the process arguments and runs it. Invalid input exits with
  /// status 2 and one line on standard error, `program: message`; an ``UncertifiedAnswer``
  /// with status 3 and its line; `--help` prints through the parser and exits 0. A command
  /// returns for status 0 or calls `exit` itself for another (`feel-verify`'s 1).
  package static func run<Command: ParsableCommand>(_: Command.Type, program: String) -> Never {
    do {
      var command = try Command.parseAsRoot()
      try command.run()
      Foundation.exit(0)
    } catch let uncertified as UncertifiedAnswer {
      fail(program, uncertified.message, status: 3)
    } catch {
      let code = Command.exitCode(for: error)
      if code == .success { Command.exit(withError: error) }
      fail(program, oneLine(error, parserMessage: Command.message(for: error)), status: 2)
    }
  }

  /// Writes `program: message` as one line on standard error and exits with `status`.
  package static func fail(_ program: String, _ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((program + ": " + message + "\n").utf8))
    Foundation.exit(status)
  }

  /// The command-line flag of each library parameter an ``InfeasibleRequest`` may name
  /// (the library names parameters, `globalBatch`; the command line reports flags,
  /// `--global-batch`): the one place where the two meet.
  package static let flags: [String: String] = [
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
  package static func flag(for field: String) -> String { flags[field] ?? field }

  /// The error as one line: scenario and request errors name their field; others take the
  /// parser's message (which names the option).
  package static func oneLine(_ error: Error, parserMessage: String? = nil) -> String {
    let text: String
    switch error {
    case let e as ScenarioError: text = e.description
    case let e as InfeasibleRequest: text = "\(flag(for: e.field)): \(e.reason)"
    default: text = parserMessage ?? "\(error)"
    }
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }
}
