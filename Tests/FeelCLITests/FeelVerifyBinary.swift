import Foundation

/// Makes sure the `feel-verify` executable exists next to the `feel` binary the CLI tests
/// run, so that `feel verify` (which execs its sibling `feel-verify`) works.
///
/// Looked up, in order: the environment variable `FEEL_VERIFY_BINARY`; `feel-verify` next
/// to the `feel` binary (``FeelBinary/path``, where `swift build` and `swift test` put every
/// product); `.build/debug/feel-verify` under the package root. If none exists, it is built
/// once with `swift build --product feel-verify` and taken from `swift build --show-bin-path`.
enum FeelVerifyBinary {
  /// The path of `feel-verify` (see the type's documentation), or nil if it cannot be found
  /// or built.
  static let path: String? = {
    let fm = FileManager.default
    var candidates: [String] = []
    if let env = ProcessInfo.processInfo.environment["FEEL_VERIFY_BINARY"] {
      candidates.append(env)
    }
    if let feel = FeelBinary.path {
      candidates.append(
        URL(fileURLWithPath: feel).deletingLastPathComponent()
          .appendingPathComponent("feel-verify").path)
    }
    candidates.append(
      FeelBinary.packageRoot.appendingPathComponent(".build/debug/feel-verify").path)
    if let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) { return found }
    guard
      ProcessRunner.swift(["build", "--product", "feel-verify"], in: FeelBinary.packageRoot) != nil,
      let bin = ProcessRunner.swift(["build", "--show-bin-path"], in: FeelBinary.packageRoot)
    else { return nil }
    let built = bin.trimmingCharacters(in: .whitespacesAndNewlines) + "/feel-verify"
    return fm.isExecutableFile(atPath: built) ? built : nil
  }()

  /// Whether `feel verify` will find `feel-verify` (it looks next to its own binary).
  static var besideFeel: Bool {
    guard let feel = FeelBinary.path, let path else { return false }
    return URL(fileURLWithPath: feel).deletingLastPathComponent().path
      == URL(fileURLWithPath: path).deletingLastPathComponent().path
  }
}
