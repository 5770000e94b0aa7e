import ArgumentParser
import FEEL

/// `feel verify`: Solve and cross-check with the GLPK and LAPACK reference solvers.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Solve and cross-check with the GLPK and LAPACK reference solvers.")

  func run() throws {
    throw InfeasibleRequest(field: "verify", reason: "not implemented yet")
  }
}
