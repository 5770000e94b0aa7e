import ArgumentParser
import FEEL

/// `feel compare`: Compare the optimal policy with the baselines of Section VI.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare the optimal policy with the baselines of Section VI.")

  func run() throws {
    throw InfeasibleRequest(field: "compare", reason: "not implemented yet")
  }
}
