import ArgumentParser
import FEEL
import Foundation

/// The scenario argument shared by the subcommands of `feel` and by `feel-verify`.
package struct ScenarioArgument: ParsableArguments {
  @Argument(
    help:
      "Scenario file (JSON; format in the command reference). Default: the embedded Table I scenario."
  )
  package var scenario: String?

  package init() {}

  /// The scenario read from the file, or the embedded default.
  package func load() throws -> Scenario {
    guard let path = scenario else { return .paperDefault }
    return try Scenario(contentsOf: URL(fileURLWithPath: path))
  }
}
