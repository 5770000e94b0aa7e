import ArgumentParser
import FEEL

/// `feel rounds`: Re-solve round by round under seeded Rayleigh fading.
struct RoundsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rounds",
    abstract: "Re-solve round by round under seeded Rayleigh fading.")

  func run() throws {
    throw InfeasibleRequest(field: "rounds", reason: "not implemented yet")
  }
}
