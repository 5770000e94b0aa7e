import ArgumentParser
import FEEL

/// `feel sweep`: Efficiency and batch sizes as one parameter varies (CSV and SVG).
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Efficiency and batch sizes as one parameter varies (CSV and SVG).")

  func run() throws {
    throw InfeasibleRequest(field: "sweep", reason: "not implemented yet")
  }
}
