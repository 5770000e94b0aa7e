import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C leaves no half-written output (issue 15): a real SIGINT sent to a running
/// `feel sweep` and `feel train` that write files over good ones.
///
/// Each command first runs to completion once, giving the reference outputs (both are
/// deterministic). Then, for growing delays (5 ms, ×1.5, until a run completes before its
/// signal), the output files are reset to a known "good" content, the command is started
/// and sent SIGINT after the delay. Afterwards every output file is either the good
/// content (untouched) or byte for byte the reference (complete), and no temporary file
/// (`.NAME.tmp-PID-N`) is left. At least one run must really have been interrupted
/// (exit 130 from the handler, or killed by SIGINT before it was installed): the test
/// runner blocks SIGINT, so a child spawned with the inherited mask would never see the
/// signal and this check would fail.
@Suite(.serialized) struct InterruptCLITests {
  /// How a spawned child ended.
  enum Ending: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    var description: String {
      switch self {
      case .exited(let s): return "exit \(s)"
      case .signaled(let s): return "signal \(s)"
      }
    }
  }

  /// Starts `arguments` with an empty signal mask and SIGINT at its default action
  /// (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF), so the child does not inherit the
  /// test runner's blocked SIGINT; stdout goes to /dev/null and stderr to `stderrPath`.
  /// - Returns: the child's pid, or nil when posix_spawn fails.
  static func spawn(_ arguments: [String], stderrPath: String) -> pid_t? {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    return rc == 0 ? pid : nil
  }

  /// Waits for `pid` and decodes its wait status.
  static func wait(_ pid: pid_t) -> Ending {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let low = status & 0x7f
    return low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
  }

  /// Every regular file under `dir`, by path relative to it.
  static func files(_ dir: URL) -> [String] {
    let e = FileManager.default.enumerator(atPath: dir.path)
    var out: [String] = []
    while let p = e?.nextObject() as? String {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(
        atPath: dir.appendingPathComponent(p).path, isDirectory: &isDir), !isDir.boolValue
      {
        out.append(p)
      }
    }
    return out.sorted()
  }

  static let good = Data("good output of an earlier run\n".utf8)

  /// Runs the experiment described on the type for the command `arguments` (without the
  /// binary), whose outputs are `outputs` (paths relative to `dir`).
  static func interruptRepeatedly(
    _ arguments: [String], outputs: [String], in dir: URL, label: String
  ) throws {
    let binary = try #require(FeelBinary.path, "the feel binary")
    let fm = FileManager.default
    let log = fm.temporaryDirectory.appendingPathComponent("feel-int-\(UUID().uuidString).err")
    defer { try? fm.removeItem(at: log) }
    // The reference: one run to completion.
    let first = try #require(spawn([binary] + arguments, stderrPath: log.path))
    let ending = wait(first)
    let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    #expect(ending == .exited(0), "\(label): reference run \(ending): \(stderr)")
    var reference: [String: Data] = [:]
    for o in outputs {
      reference[o] = try Data(contentsOf: dir.appendingPathComponent(o))
    }
    var interrupted = 0
    var kept = 0
    var replaced = 0
    /// One run interrupted after `delay` seconds; true when it completed first.
    func attempt(_ delay: Double) throws -> Bool {
      for o in outputs { try good.write(to: dir.appendingPathComponent(o)) }
      let pid = try #require(spawn([binary] + arguments, stderrPath: log.path))
      usleep(useconds_t(delay * 1e6))
      kill(pid, SIGINT)
      let end = wait(pid)
      let label = "\(label) (SIGINT after \(delay) s, \(end))"
      switch end {
      case .exited(0): break
      case .exited(130), .signaled(SIGINT): interrupted += 1
      default:
        let why = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        Issue.record("\(label): \(why)")
      }
      for o in outputs {
        let now = try? Data(contentsOf: dir.appendingPathComponent(o))
        let what =
          "\(label): \(o) is neither the earlier file nor complete (\(now?.count ?? -1) bytes)"
        #expect(now == good || now == reference[o], "\(what)")
        if end != .exited(0) {
          if now == good { kept += 1 } else if now == reference[o] { replaced += 1 }
        }
      }
      let leftovers = files(dir).filter { $0.contains(".tmp-") }
      #expect(leftovers.isEmpty, "\(label): temporary files \(leftovers)")
      return end == .exited(0)
    }
    // Growing delays until a run completes before its signal ...
    var low = 0.0
    var high = 0.005
    var completed = false
    for _ in 0..<25 where !completed {
      completed = try attempt(high)
      if !completed { (low, high) = (high, high * 1.5) }
    }
    // ... then bisection towards the end of the run, where the files are written.
    if completed {
      for _ in 0..<10 {
        let mid = 0.5 * (low + high)
        if try attempt(mid) { high = mid } else { low = mid }
      }
    }
    print(
      "\(label): \(interrupted) runs interrupted by SIGINT; in them \(kept) files kept, "
        + "\(replaced) complete")
    #expect(interrupted > 0, "\(label): no run was interrupted by SIGINT")
    #expect(completed, "\(label): no run completed within the delays tried")
  }

  @Test func sweepInterruptedLeavesNoHalfWrittenFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-int-sweep-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("svg"), withIntermediateDirectories: true)
    let svgs = [
      "sweep-efficiency.svg", "sweep-global-batch.svg", "batch-vs-rate.svg",
      "efficiency-vs-batch.svg", "allocation.svg",
    ]
    try Self.interruptRepeatedly(
      [
        "sweep", "--parameter", "devices", "--from", "2", "--to", "400", "--steps", "300",
        "--csv", dir.appendingPathComponent("out.csv").path,
        "--svg-dir", dir.appendingPathComponent("svg").path,
      ], outputs: ["out.csv"] + svgs.map { "svg/\($0)" }, in: dir, label: "feel sweep")
  }

  @Test func trainInterruptedLeavesNoHalfWrittenFile() throws {
    let data = try TrainCLITests.dataFolder()
    defer { try? FileManager.default.removeItem(at: data) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-int-train-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Self.interruptRepeatedly(
      [
        "train", "--data", data.path, "--scheme", "optimal,random-batch", "--rounds", "60",
        "--hidden", "8", "--evaluate-every", "1", "--seeds", "2",
        "--output", dir.appendingPathComponent("study.json").path,
        "--csv", dir.appendingPathComponent("study.csv").path,
      ], outputs: ["study.json", "study.csv"], in: dir, label: "feel train")
  }
}
