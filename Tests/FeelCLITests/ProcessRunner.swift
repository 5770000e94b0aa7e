import Foundation

/// The one way the CLI tests run a program to completion: `feel`, `feel-verify` and the
/// `swift build` that makes them when missing.
///
/// Standard output and error go through temporary files (a full pipe cannot block the
/// child, whatever it prints); standard input is empty.
enum ProcessRunner {
  /// The result of one run.
  struct Run {
    /// The exit status.
    var status: Int32
    /// Everything printed on standard output.
    var stdout: String
    /// Everything printed on standard error.
    var stderr: String
    /// The non-empty lines on standard error.
    var errorLines: [String] { stderr.split(whereSeparator: \.isNewline).map(String.init) }
  }

  /// Runs `executable arguments…` in `directory` (the current one when nil) and waits for it.
  static func run(
    _ executable: String, _ arguments: [String], in directory: URL? = nil
  ) throws
    -> Run
  {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("feel-run-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("stdout")
    let errURL = dir.appendingPathComponent("stderr")
    _ = fm.createFile(atPath: outURL.path, contents: nil)
    _ = fm.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Run(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// Runs `swift arguments…` in the package root; its standard output when it succeeds.
  static func swift(_ arguments: [String], in packageRoot: URL) -> String? {
    guard let run = try? run("/usr/bin/env", ["swift"] + arguments, in: packageRoot),
      run.status == 0
    else { return nil }
    return run.stdout
  }
}
