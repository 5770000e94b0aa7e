// `feel-verify [SCENARIO] [--json] [--global-batch B]`, also run as `feel verify`.
//
// Solves with the fast solver (FEELSolver), cross-checks its uplink round length at B* and
// at other global batches (both ends included) and its downlink round length against the
// GLPK and LAPACK reference solvers, and prints the relative differences, the references'
// own gaps and the fast solver's certificate. Exit status: 0 when every difference is at
// most 1e-7 and every certificate gap at most 1e-9, 1 when the cross-check fails, 2 with
// one line on standard error for invalid input, 3 (with one line on standard error) when
// the fast solver's answer is not certified.
import ArgumentParser
import FEEL
import FEELCommandLine
import Foundation

/// `feel-verify`: the cross-check, parsed by ArgumentParser with the same scenario argument,
/// `--global-batch` type, exit statuses and one-line errors as `feel`.
struct FeelVerify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "feel verify",
    abstract: "Solve and cross-check with the GLPK and LAPACK reference solvers.",
    discussion: """
      Cross-checks the uplink round length at B* and at other global batches (both ends \
      included), the downlink round length and the efficiency at B*. Exit status: 0 when \
      the fast solver agrees with both references to 1e-7 and its certificate gaps are at \
      most 1e-9; 1 when it does not; 2 for invalid input; 3 when the fast solver's answer \
      is not certified.
      """)

  @OptionGroup var arguments: VerifyArguments

  func run() throws {
    let report = try crossCheck(
      try arguments.input.load(), globalBatch: arguments.globalBatch?.value)
    print(arguments.json ? report.jsonValue.serialized() : report.table)
    if let failure = report.solution.status.failure {
      throw UncertifiedAnswer(message: failure)
    }
    if !report.passed { Foundation.exit(1) }
  }
}

CommandLineMain.run(FeelVerify.self, program: "feel verify")
