// `feel-verify [SCENARIO] [--json] [--global-batch B]`, also run as `feel verify`.
//
// Solves with the fast solver (FEELSolver), cross-checks its uplink round length at B* and
// at other global batches (both ends included) and its downlink round length against the
// GLPK and LAPACK reference solvers, and prints the relative differences, the references'
// own gaps and the fast solver's certificate. Exit status: 0 when every difference is at
// most 1e-7 and every certificate gap at most 1e-9, 1 when the cross-check fails, 2 with
// one line on standard error for invalid input, 3 (with one line on standard error) when
// the fast solver's answer is not certified.
import FEEL
import Foundation

/// The parsed command line.
struct VerifyArguments {
  /// The scenario file (nil: the embedded Table I scenario).
  var scenario: String?
  /// `--json`: one JSON object instead of the table.
  var json = false
  /// `--global-batch B`: check at this B instead of the optimal one.
  var globalBatch: Double?
  /// `-h` / `--help`.
  var help = false

  /// Parses `arguments` (without the program name).
  init(_ arguments: [String]) throws {
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--json": json = true
      case "-h", "--help": help = true
      case "--global-batch":
        guard let text = rest.popFirst() else {
          throw InfeasibleRequest(field: "--global-batch", reason: "needs a value")
        }
        globalBatch = try VerifyArguments.batch(text)
      case _ where argument.hasPrefix("--global-batch="):
        globalBatch = try VerifyArguments.batch(String(argument.dropFirst("--global-batch=".count)))
      case _ where argument.hasPrefix("-") && argument != "-":
        throw InfeasibleRequest(field: argument, reason: "unknown option")
      default:
        guard scenario == nil else {
          throw InfeasibleRequest(
            field: "SCENARIO", reason: "only one scenario file (got '\(argument)')")
        }
        scenario = argument
      }
    }
  }

  /// The value of `--global-batch`, which must be a finite number.
  static func batch(_ text: String) throws -> Double {
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
      throw InfeasibleRequest(
        field: "--global-batch", reason: "must be a finite number (got '\(text)')")
    }
    return value
  }

  /// The help text.
  static let usage = """
    USAGE: feel verify [<scenario>] [--json] [--global-batch <B>]

    Solves with the fast solver and cross-checks it with the GLPK and LAPACK reference
    solvers: the uplink round length at B* and at other global batches (both ends
    included), the downlink round length and the efficiency at B*.

    ARGUMENTS:
      <scenario>              Scenario file (JSON). Default: the embedded Table I scenario.

    OPTIONS:
      --json                  Print one JSON object instead of the table.
      --global-batch <B>      Check at this fixed global batch B instead of the optimal one.
      -h, --help              Show help information.

    Exit status: 0 when the fast solver agrees with both references to 1e-7 and its
    certificate gaps are at most 1e-9; 1 when it does not; 2 for invalid input; 3 when
    the fast solver's answer is not certified.
    """
}

/// The error as one line (scenario and request errors name their field).
func oneLine(_ error: Error) -> String {
  let text: String
  switch error {
  case let e as ScenarioError: text = e.description
  case let e as InfeasibleRequest: text = e.description
  default: text = "\(error)"
  }
  return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    .filter { !$0.isEmpty }.joined(separator: " ")
}

do {
  let arguments = try VerifyArguments(Array(CommandLine.arguments.dropFirst()))
  if arguments.help {
    print(VerifyArguments.usage)
    exit(0)
  }
  let scenario =
    try arguments.scenario.map { try Scenario(contentsOf: URL(fileURLWithPath: $0)) }
    ?? .paperDefault
  let report = try crossCheck(scenario, globalBatch: arguments.globalBatch)
  print(arguments.json ? report.jsonValue.serialized() : report.table)
  if let failure = report.solution.status.failure {
    FileHandle.standardError.write(Data(("feel verify: " + failure + "\n").utf8))
    exit(3)
  }
  exit(report.passed ? 0 : 1)
} catch {
  FileHandle.standardError.write(Data(("feel verify: " + oneLine(error) + "\n").utf8))
  exit(2)
}
