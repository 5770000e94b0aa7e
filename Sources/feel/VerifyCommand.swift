import ArgumentParser
import FEEL
import FEELCommandLine
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `feel verify [SCENARIO] [--json] [--global-batch B]`: solve and cross-check with the
/// GLPK and LAPACK reference solvers.
///
/// The work is done by the sibling executable `feel-verify` (which links the reference
/// solvers, so that `feel` itself needs neither GLPK nor LAPACK): this command finds it
/// next to its own binary and replaces itself with it, passing the same arguments.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Solve and cross-check with the GLPK and LAPACK reference solvers.",
    discussion: """
      Runs the sibling executable feel-verify (swift build --product feel-verify). \
      Exit status 0 when the fast solver agrees with both references to 1e-7 and its \
      certificate gaps are at most 1e-9, 1 when it does not, 2 for invalid input, 3 when \
      the fast solver's answer is not certified.
      """)

  @OptionGroup var arguments: VerifyArguments

  /// `feel-verify` in the directory of the running `feel` binary, if it is there.
  static func sibling() -> String? {
    var directories: [URL] = []
    if let exe = Bundle.main.executableURL { directories.append(exe.deletingLastPathComponent()) }
    if let first = CommandLine.arguments.first, first.contains("/") {
      directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    return directories.map { $0.appendingPathComponent("feel-verify").path }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  func run() throws {
    guard let path = Self.sibling() else {
      throw ValidationError(
        "feel verify needs the feel-verify executable: swift build --product feel-verify")
    }
    let argv = [path] + arguments.forwarded
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cArguments.append(nil)
    execv(path, cArguments)
    // Only reached when exec failed.
    let reason = String(cString: strerror(errno))
    throw InfeasibleRequest(field: "verify", reason: "cannot run \(path): \(reason)")
  }
}
