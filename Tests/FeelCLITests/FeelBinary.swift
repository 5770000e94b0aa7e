import Foundation
import Testing

/// Runs the real `feel` executable, as a user would, and captures what it prints.
///
/// Finding the binary: the test target depends only on FEEL (SwiftPM cannot make a test
/// target depend on an executable product portably), so the binary is looked up, in order:
/// 1. the environment variable `FEEL_BINARY`, if set;
/// 2. `feel` next to the running test bundle (the build products directory, where
///    `swift test` puts every product it builds, `feel` included);
/// 3. `.build/debug/feel` under the package root (found from `#filePath`).
/// If none exists, it is built once with `swift build --product feel` in the package
/// root and taken from `swift build --show-bin-path`.
enum FeelBinary {
  /// The result of one run.
  typealias Run = ProcessRunner.Run

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The public vectors (Tests/Fixtures), shared with FEELTests.
  static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

  /// The path of the `feel` executable (see the type's documentation).
  static let path: String? = {
    let fm = FileManager.default
    var candidates: [String] = []
    if let env = ProcessInfo.processInfo.environment["FEEL_BINARY"] { candidates.append(env) }
    if let exe = Bundle.main.executableURL {
      var dir = exe.deletingLastPathComponent()
      // Inside an .xctest bundle directory (Darwin layout), step out of it.
      while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS"
        || dir.lastPathComponent == "Contents"
      {
        dir = dir.deletingLastPathComponent()
      }
      candidates.append(dir.appendingPathComponent("feel").path)
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/feel").path)
    if let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) { return found }
    // Build it.
    guard ProcessRunner.swift(["build", "--product", "feel"], in: packageRoot) != nil,
      let bin = ProcessRunner.swift(["build", "--show-bin-path"], in: packageRoot)
    else { return nil }
    let built = bin.trimmingCharacters(in: .whitespacesAndNewlines) + "/feel"
    return fm.isExecutableFile(atPath: built) ? built : nil
  }()

  /// Runs `feel arguments…` and waits for it (through ``ProcessRunner``).
  static func run(_ arguments: [String]) throws -> Run {
    guard let path else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "feel binary"])
    }
    return try ProcessRunner.run(path, arguments)
  }

  /// Writes `text` to a fresh temporary file and returns its path.
  static func temporaryFile(_ text: String, name: String = "scenario.json") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-cli-in-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// Parses JSON printed by `feel`.
  static func json(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
  }
}
