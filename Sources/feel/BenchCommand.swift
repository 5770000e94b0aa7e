import ArgumentParser
import FEEL

/// `feel bench`: Time the full solve in-process (median over repeated runs).
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the full solve in-process (median over repeated runs).")

  func run() throws {
    throw InfeasibleRequest(field: "bench", reason: "not implemented yet")
  }
}
