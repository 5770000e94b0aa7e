import ArgumentParser
import FEEL
import Foundation

/// The scenario argument shared by the subcommands.
struct ScenarioArgument: ParsableArguments {
  @Argument(
    help:
      "Scenario file (JSON; format in the command reference). Default: the embedded Table I scenario."
  )
  var scenario: String?

  /// The scenario read from the file, or the embedded default.
  func load() throws -> Scenario {
    guard let path = scenario else { return .paperDefault }
    return try Scenario(contentsOf: URL(fileURLWithPath: path))
  }
}
