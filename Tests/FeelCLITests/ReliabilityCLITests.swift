import Foundation
import Testing

/// Certified or refused (issue 15): every answer carries its status, exit 0 only when the
/// certificate verifies, 3 when an answer was printed without one; output files are
/// written atomically. Every test runs the real binary (see ``FeelBinary``).
@Suite struct ReliabilityCLITests {
  /// The issue's example: uplink rates 1e-20 and 1e20 bit/s beside an ordinary device.
  static let extremeRates = """
    {"gradientBits": 2.58e8, "cyclesPerSample": 3e8, "updateCycles": 1.6e7, "devices": [
     {"cpuHz": 1.4e9, "uplinkBps": 1e-20, "downlinkBps": 1e8},
     {"cpuHz": 1.4e9, "uplinkBps": 1e20, "downlinkBps": 1e8},
     {"cpuHz": 1.4e9, "uplinkBps": 5e7, "downlinkBps": 1e8}]}
    """

  /// A valid scenario (two GPUs whose per-device times span about 1e63) that the solver
  /// still cannot certify (found by DynamicRangeTests; Proofs/DynamicRange.md, §5): the
  /// answer must be printed and refused with exit 3.
  static let refused = """
    {"gradientBits": 0.0005651967759074569, "lossDecayCoefficient": 1, "maxBatch": 152, "uplinkFrameSeconds": 468021623584.0052, "downlinkFrameSeconds": 3.822713275877109e-05, "cyclesPerSample": 5.921016649367177e-13, "updateCycles": 2.642121564300199e+28, "updateFlops": 1781588.324886629, "channel": {"bandwidthHz": 10000000, "noiseDbmPerHz": -174, "uplinkPowerDbm": 28, "downlinkPowerDbm": 28, "pathLossInterceptDb": 128.1, "pathLossSlopeDb": 37.6, "fading": "rayleigh"}, "devices": [{"gpu": {"baseSeconds": 6.40936462678553e-06, "secondsPerSample": 82.11642484214217, "thresholdBatch": 25, "flops": 10572.349142918114}, "uplinkBps": 2.1090322347190718e+36, "downlinkBps": 0.2545035510469113}, {"gpu": {"baseSeconds": 48.210239913111636, "secondsPerSample": 7.185149569099565e+26, "thresholdBatch": 76, "flops": 2.9031466230254015e+24}, "uplinkBps": 0.23885620619934708, "downlinkBps": 14301.908468690799}]}
    """

  /// The scenario `refused` was before the certifier's alternative weights (per-device
  /// times spanning 1e146): its bound was loose, now it is certified.
  static let formerlyRefused = """
    {"gradientBits": 7.985172858600016e+73, "lossDecayCoefficient": 1, "maxBatch": 34, "uplinkFrameSeconds": 1.237585603332416e+88, "downlinkFrameSeconds": 5.2684292924246536e+103, "cyclesPerSample": 2.225859747831356e+107, "updateCycles": 3.110968478844564e+70, "updateFlops": 0, "devices": [{"cpuHz": 7.251169654255156e+88, "uplinkBps": 5.158171773374045e+111, "downlinkBps": 2.16338810438962e+109}, {"gpu": {"baseSeconds": 4.904445997794364e+82, "secondsPerSample": 8.696444495343782e+108, "thresholdBatch": 2, "flops": 3.0430301312498063e+102}, "uplinkBps": 2.5155596358971632e+103, "downlinkBps": 1.9002155665647907e+74}]}
    """

  @Test func aFormerRefusalIsNowCertified() throws {
    let path = try FeelBinary.temporaryFile(Self.formerlyRefused)
    let r = try FeelBinary.run(["solve", path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FeelBinary.json(r.stdout)?["status"] as? String == "certified")
    #expect(FeelBinary.json(r.stdout)?["certified"] as? Bool == true)
    let table = try FeelBinary.run(["solve", path])
    #expect(table.status == 0 && table.stdout.contains("Status: certified"), "\(table.stdout)")
  }

  @Test func theIssuesExtremeRatesAreCertifiedWithEveryDeviceAtMaxBatch() throws {
    let path = try FeelBinary.temporaryFile(Self.extremeRates)
    let r = try FeelBinary.run(["solve", path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = FeelBinary.json(r.stdout)
    #expect(json?["status"] as? String == "certified")
    #expect(json?["certified"] as? Bool == true)
    let batches = (json?["devices"] as? [[String: Any]])?.compactMap { $0["batch"] as? Double }
    #expect(batches == [128, 128, 128])
    let table = try FeelBinary.run(["solve", path])
    #expect(table.status == 0 && table.stdout.contains("Status: certified"), "\(table.stdout)")
  }

  @Test func anUncertifiedAnswerIsPrintedAndExitsThree() throws {
    let path = try FeelBinary.temporaryFile(Self.refused)
    for arguments in [["solve", path, "--json"], ["solve", path]] {
      let r = try FeelBinary.run(arguments)
      #expect(r.status == 3, "\(arguments): \(r.stderr)")
      #expect(r.errorLines.count == 1, "one line on stderr: \(r.stderr)")
      #expect(r.stderr.hasPrefix("feel: not certified: relative gap"), "\(r.stderr)")
      if arguments.contains("--json") {
        let json = FeelBinary.json(r.stdout)
        #expect(json?["status"] as? String == "notCertified")
        #expect(json?["certified"] as? Bool == false)
        #expect((json?["devices"] as? [Any])?.count == 2, "the allocation is still printed")
      } else {
        #expect(r.stdout.contains("Status: not certified"), "\(r.stdout)")
        #expect(r.stdout.contains("batch B_k"), "the allocation is still printed")
      }
    }
    let compare = try FeelBinary.run(["compare", path, "--json", "--subgradient-iterations", "0"])
    #expect(compare.status == 3, "\(compare.stderr)")
    #expect(FeelBinary.json(compare.stdout)?["certified"] as? Bool == false)
    let sweep = try FeelBinary.run([
      "sweep", path, "--parameter", "cpu", "--from", "1", "--to", "1", "--steps", "1", "--json",
    ])
    #expect(sweep.status == 3, "\(sweep.stderr)")
    #expect(sweep.errorLines.count == 1 && sweep.stderr.contains("1 of 1 answers not certified"))
  }

  @Test func everyAnswerCarriesItsStatus() throws {
    let cpu = FeelBinary.fixtures.appendingPathComponent("cpu-3-devices.json").path
    let runs: [[String]] = [
      ["solve", cpu, "--json"], ["solve", cpu, "--json", "--global-batch", "100"],
      ["compare", cpu, "--json", "--subgradient-iterations", "10"],
      ["sweep", cpu, "--parameter", "cpu", "--from", "0.5", "--to", "2", "--steps", "3", "--json"],
      ["rounds", cpu, "--rounds", "3", "--json"], ["verify", cpu, "--json"],
    ]
    for arguments in runs {
      let r = try FeelBinary.run(arguments)
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      let json = FeelBinary.json(r.stdout)
      #expect(json?["status"] as? String == "certified", "\(arguments)")
      #expect(json?["certified"] as? Bool == true, "\(arguments)")
    }
    let sweep = FeelBinary.json(
      try FeelBinary.run([
        "sweep", cpu, "--parameter", "cpu", "--from", "0.5", "--to", "2", "--steps", "3", "--json",
      ]).stdout)
    let points = sweep?["points"] as? [[String: Any]] ?? []
    #expect(points.count == 3 && points.allSatisfy { $0["certified"] as? Bool == true })
    let rounds = FeelBinary.json(
      try FeelBinary.run(["rounds", cpu, "--rounds", "3", "--json"]).stdout)
    let list = rounds?["rounds"] as? [[String: Any]] ?? []
    #expect(list.count == 3 && list.allSatisfy { $0["status"] as? String == "certified" })
  }

  @Test func theIntegerAnswerCarriesItsOwnCertificate() throws {
    let cpu = FeelBinary.fixtures.appendingPathComponent("cpu-3-devices.json").path
    let r = try FeelBinary.run(["solve", cpu, "--integer", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = FeelBinary.json(r.stdout)
    let certificate = json?["certificate"] as? [String: Any]
    // The integer exchange certificate holds; the continuous optimum is a bound, reported
    // as a gap, not as a failed verification.
    #expect(certificate?["verified"] as? Bool == true)
    #expect((certificate?["continuousRelativeGap"] as? Double ?? 0) > 1e-9)
    #expect(json?["certified"] as? Bool == true)
    #expect(json?["status"] as? String == "certifiedWithinGap")
    let integer = json?["integer"] as? [String: Any]
    #expect(integer?["certified"] as? Bool == true)
  }

  @Test func sweepAndRoundsOutputFilesAreReplacedWhole() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("out.csv")
    try Data("old\n".utf8).write(to: csv)
    let r = try FeelBinary.run([
      "sweep", "--parameter", "devices", "--from", "2", "--to", "6", "--steps", "3", "--csv",
      csv.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count == 4)
    let out = dir.appendingPathComponent("rounds.json")
    let rounds = try FeelBinary.run(["rounds", "--rounds", "2", "--json", "--output", out.path])
    #expect(rounds.status == 0 && rounds.stdout.isEmpty, "\(rounds.stderr)")
    #expect(FeelBinary.json(try String(contentsOf: out, encoding: .utf8))?["rounds"] != nil)
    // A directory that does not exist: exit 2 naming the option, nothing written.
    let bad = try FeelBinary.run([
      "rounds", "--rounds", "2", "--output", dir.appendingPathComponent("no/such/file").path,
    ])
    #expect(bad.status == 2 && bad.stderr.hasPrefix("feel: --output:"), "\(bad.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(left.sorted() == ["out.csv", "rounds.json"], "no temporary files left: \(left)")
  }

  /// Ctrl-C at a random moment of a long sweep: the output file is either the old one or
  /// the complete new one, and no temporary file is left behind.
  @Test func interruptedSweepLeavesTheOldFileOrTheCompleteNewOne() throws {
    guard let binary = FeelBinary.path else {
      Issue.record("no feel binary")
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-sigint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("out.csv")
    let steps = 400
    for (i, delay) in [0.05, 0.3, 0.8, 1.5].enumerated() {
      try Data("old \(i)\n".utf8).write(to: csv)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: binary)
      p.arguments = [
        "sweep", "--parameter", "devices", "--from", "1", "--to", "2000", "--steps", "\(steps)",
        "--csv", csv.path,
      ]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      Thread.sleep(forTimeInterval: delay)
      kill(p.processIdentifier, SIGINT)
      p.waitUntilExit()
      let text = try String(contentsOf: csv, encoding: .utf8)
      let lines = text.split(separator: "\n")
      #expect(
        text == "old \(i)\n" || (lines.count == steps + 1 && text.hasSuffix("\n")),
        "delay \(delay): \(lines.count) lines, exit \(p.terminationStatus)")
      let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
      #expect(left == ["out.csv"], "delay \(delay): \(left)")
    }
  }
}
