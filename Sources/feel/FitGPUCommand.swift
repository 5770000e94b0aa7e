import ArgumentParser
import FEEL

/// `feel fit-gpu`: Fit the GPU training function of Assumption 1 to measurements.
struct FitGPUCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit-gpu",
    abstract: "Fit the GPU training function of Assumption 1 to measurements.")

  func run() throws {
    throw InfeasibleRequest(field: "fit-gpu", reason: "not implemented yet")
  }
}
