import ArgumentParser
import FEEL
import FEELCommandLine
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
    CommandLineMain.run(Feel.self, program: "feel")
  }
}
