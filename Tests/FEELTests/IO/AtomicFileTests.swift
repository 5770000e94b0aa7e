import FEEL
import Foundation
import Testing

/// ``AtomicFile``: the destination holds the old bytes or all the new ones, never a part,
/// and no temporary file is left behind.
@Suite struct AtomicFileTests {
  static func directory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-atomic-unit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func writesNewAndReplacesExistingFilesWhole() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("out.csv")
    try AtomicFile.write("first\n", to: url, field: "--csv")
    #expect(try String(contentsOf: url, encoding: .utf8) == "first\n")
    let big = String(repeating: "0123456789,", count: 200_000)
    try AtomicFile.write(big, to: url, field: "--csv")
    #expect(try String(contentsOf: url, encoding: .utf8) == big)
    try AtomicFile.write(Data(), to: url, field: "--csv")
    #expect(try Data(contentsOf: url).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
  }

  @Test func aFailedWriteNamesTheFieldAndLeavesNothing() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The destination is a non-empty directory: the rename fails, the temporary goes.
    let blocker = dir.appendingPathComponent("taken")
    try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
    try Data("keep".utf8).write(to: blocker.appendingPathComponent("inside"))
    do {
      try AtomicFile.write("new", to: blocker, field: "--output")
      Issue.record("writing over a directory must fail")
    } catch let e as InfeasibleRequest {
      #expect(e.field == "--output")
      #expect(e.reason.contains(blocker.path))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["taken"])
    #expect(
      try String(contentsOf: blocker.appendingPathComponent("inside"), encoding: .utf8) == "keep")
    // A missing directory.
    do {
      try AtomicFile.write("new", to: dir.appendingPathComponent("no/such/file"), field: "--csv")
      Issue.record("a missing directory must fail")
    } catch let e as InfeasibleRequest {
      #expect(e.field == "--csv")
    }
  }
}
