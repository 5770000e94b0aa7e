import ArgumentParser

/// The arguments of `feel verify`, parsed alike by `feel` (which forwards them) and by
/// `feel-verify` (which runs the cross-check).
package struct VerifyArguments: ParsableArguments {
  @OptionGroup package var input: ScenarioArgument

  @Flag(help: "Print one JSON object instead of the table.")
  package var json = false

  @Option(
    name: .customLong("global-batch"),
    help: "Check at this fixed global batch B instead of the optimal one.")
  package var globalBatch: FiniteNumber?

  package init() {}

  /// The same arguments as a command line for `feel-verify`.
  package var forwarded: [String] {
    var arguments: [String] = []
    if let scenario = input.scenario { arguments.append(scenario) }
    if json { arguments.append("--json") }
    if let globalBatch { arguments += ["--global-batch", "\(globalBatch.value)"] }
    return arguments
  }
}
