import Foundation
import Testing

/// `feel train` end to end on a tiny IDX data set written here (`--data DIR`), with the
/// default K = 12 fleet: the JSON keys of the contract, determinism, shards that merge to
/// the unsharded study, resume from a checkpoint, and one-line errors with status 2.
@Suite struct TrainCLITests {
  /// Writes IDX files of `train` + `test` 6 × 6 images in 3 classes (a bright block whose
  /// position is the class, plus noise) into a fresh folder.
  static func dataFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var state: UInt64 = 42
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    func be(_ x: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((x >> $0) & 0xFF) } }
    func write(_ count: Int, images: String, labels: String) throws {
      var pix: [UInt8] = be(0x803) + be(count) + be(6) + be(6)
      var lab: [UInt8] = be(0x801) + be(count)
      for _ in 0..<count {
        let c = Int(next() % 3)
        lab.append(UInt8(c))
        for r in 0..<6 {
          for _ in 0..<6 {
            pix.append(UInt8(r / 2 == c ? 180 + Int(next() % 70) : Int(next() % 60)))
          }
        }
      }
      try Data(pix).write(to: dir.appendingPathComponent(images))
      try Data(lab).write(to: dir.appendingPathComponent(labels))
    }
    try write(240, images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte")
    try write(60, images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte")
    return dir
  }

  static let common = ["--rounds", "3", "--hidden", "8", "--evaluate-every", "1", "--seeds", "2"]

  static func runs(_ text: String) -> [[String: Any]] {
    (FeelBinary.json(text)?["runs"] as? [[String: Any]]) ?? []
  }

  @Test func jsonHasTheContractKeysAndIsDeterministic() throws {
    let dir = try Self.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let args =
      ["train", "--data", dir.path, "--scheme", "optimal,model-based", "--json"] + Self.common
    let a = try FeelBinary.run(args)
    #expect(a.status == 0, "\(a.stderr)")
    let b = try FeelBinary.run(args)
    #expect(a.stdout == b.stdout)
    let runs = Self.runs(a.stdout)
    #expect(runs.count == 4)
    for run in runs {
      #expect(run["scheme"] is String && run["partition"] as? String == "iid")
      #expect(run["seed"] is NSNumber)
      let records = try #require(run["records"] as? [[String: Any]])
      #expect(records.count == 4)
      for r in records {
        for key in ["round", "clockSeconds", "trainingLoss", "testAccuracy"] {
          #expect(r[key] is NSNumber, "\(key)")
        }
        let acc = try #require(r["testAccuracy"] as? Double)
        #expect((0...1).contains(acc))
      }
    }
    #expect((FeelBinary.json(a.stdout)?["summary"] as? [[String: Any]])?.count == 2)
  }

  @Test func shardOutputsMergeToTheUnshardedStudy() throws {
    let dir = try Self.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let study =
      ["train", "--data", dir.path, "--scheme", "optimal,random-batch"] + Self.common
      + ["--partition", "both"]
    let whole = try FeelBinary.run(study + ["--json"])
    #expect(whole.status == 0, "\(whole.stderr)")
    var files: [String] = []
    for i in 1...3 {
      let file = dir.appendingPathComponent("part\(i).json").path
      let r = try FeelBinary.run(study + ["--shard", "\(i)/3", "--output", file])
      #expect(r.status == 0, "\(r.stderr)")
      files.append(file)
    }
    let merged = try FeelBinary.run(["train", "--json", "--merge"] + files)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout == whole.stdout)
    let duplicate = try FeelBinary.run(["train", "--merge", files[0], files[0]])
    #expect(duplicate.status == 2)
    #expect(duplicate.errorLines.count == 1)
  }

  @Test func resumeFromACheckpointGivesTheUninterruptedLog() throws {
    let dir = try Self.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let study = ["train", "--data", dir.path, "--scheme", "optimal,online-learning"] + Self.common
    let whole = try FeelBinary.run(study + ["--json"])
    // A checkpoint holding only the first shard's runs, as a killed study leaves it.
    let checkpoint = dir.appendingPathComponent("ckpt.json").path
    let first = try FeelBinary.run(study + ["--shard", "1/2", "--output", checkpoint])
    #expect(first.status == 0)
    var object = try #require(
      FeelBinary.json(try String(contentsOfFile: checkpoint, encoding: .utf8)))
    object["shard"] = NSNull()
    try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: checkpoint))
    let resumed = try FeelBinary.run(study + ["--json", "--resume", "--checkpoint", checkpoint])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout == whole.stdout)
  }

  @Test(arguments: [
    (["--partition", "mixed"], "--partition"), (["--scheme", "best"], "--scheme"),
    (["--seeds", "0"], "--seeds"), (["--rounds", "2", "--time-budget", "5"], "--rounds"),
    (["--time-budget", "0"], "--time-budget"),
    (["--target-accuracy", "1.5"], "--target-accuracy"),
    (["--shard", "0/2"], "--shard"), (["--baseline-slots", "fair"], "--baseline-slots"),
    (["--fixed-batch", "0"], "--fixed-batch"), (["--learning-rate", "nan"], "--learning-rate"),
    (["--hidden", "x"], "--hidden"), (["--resume"], "--resume"),
    (["--compare", "--scheme", "optimal"], "--scheme"), (["--data", "/no/such/dir"], "--data"),
    (["--merge", "/no/such/file.json"], "/no/such/file.json"),
    (["--checkpoint-every", "5"], "--checkpoint-every"),
    (["--checkpoint", "/tmp/x.json", "--checkpoint-every", "0"], "--checkpoint-every"),
  ])
  func badOptionsExitWithStatus2AndOneLineNamingThem(args: [String], field: String) throws {
    let r = try FeelBinary.run(["train"] + args)
    #expect(r.status == 2)
    #expect(r.errorLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("feel: \(field)"), "\(r.stderr)")
  }
}

/// `feel train --checkpoint-every 1` killed with SIGKILL part-way continues with `--resume`
/// to the byte-identical JSON of an uninterrupted run; a corrupt run checkpoint is refused.
/// (SIGKILL, because a child of the test runner may inherit a mask that blocks SIGINT and
/// SIGTERM; no signal can interrupt a write that only renames finished files.)
@Suite struct TrainResumeCLITests {
  static let study = [
    "train", "--scheme", "optimal,random-batch", "--partition", "both", "--rounds", "300",
    "--hidden", "8", "--evaluate-every", "1", "--seeds", "1", "--loss-samples", "0",
  ]

  /// Starts `feel args`, waits until a file ending in `.run` appears in `dir` plus `delay`
  /// seconds, then sends it `signal`. Returns whether it was stopped before finishing.
  static func killPartWay(
    _ args: [String], dir: URL, delay: Double, signal: Int32
  ) throws -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try #require(FeelBinary.path))
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let start = Date()
    while p.isRunning, Date().timeIntervalSince(start) < 120 {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      if names.contains(where: { $0.hasSuffix(".run") }) { break }
      usleep(2_000)
    }
    usleep(UInt32(delay * 1e6))
    let killed = p.isRunning
    if killed { kill(p.processIdentifier, signal) }
    p.waitUntilExit()
    return killed
  }

  @Test(arguments: [(0.0, SIGKILL), (0.4, SIGKILL)])
  func aKilledRunResumesToTheUninterruptedJSON(delay: Double, signal: Int32) throws {
    let dir = try TrainCLITests.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let study = Self.study + ["--data", dir.path]
    let whole = try FeelBinary.run(study + ["--json"])
    #expect(whole.status == 0, "\(whole.stderr)")
    let work = dir.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let checkpoint = work.appendingPathComponent("ckpt.json").path
    let output = work.appendingPathComponent("out.json").path
    let resumable =
      study + ["--checkpoint", checkpoint, "--checkpoint-every", "1", "--output", output]
    let killed = try Self.killPartWay(resumable, dir: work, delay: delay, signal: signal)
    // Killed right after the first checkpoint appears, a run of 300 rounds is unfinished.
    #expect(killed || delay > 0)
    if killed {
      #expect(!FileManager.default.fileExists(atPath: output))
      let partial = try FileManager.default.contentsOfDirectory(atPath: work.path)
      #expect(partial.contains { $0.hasSuffix(".run") }, "\(partial)")
    }
    let resumed = try FeelBinary.run(resumable + ["--resume", "--json"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout == whole.stdout)
    let written = try String(contentsOfFile: output, encoding: .utf8)
    #expect(written == whole.stdout + "\n" || written == whole.stdout)
    let left = try FileManager.default.contentsOfDirectory(atPath: work.path)
    #expect(!left.contains { $0.hasSuffix(".run") }, "\(left)")
  }

  @Test func aCorruptRunCheckpointIsRefusedWithOneLine() throws {
    let dir = try TrainCLITests.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checkpoint = dir.appendingPathComponent("ckpt.json").path
    let args =
      ["train", "--data", dir.path, "--rounds", "3", "--hidden", "8", "--seeds", "1"]
      + ["--checkpoint", checkpoint, "--checkpoint-every", "1", "--resume"]
    let run = URL(fileURLWithPath: checkpoint + ".iid.optimal.1.run")
    try Data("FEEL-RUN-CHECKPOINT-1\n garbage".utf8).write(to: run)
    let r = try FeelBinary.run(args)
    #expect(r.status == 2)
    #expect(r.errorLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("feel: --checkpoint"), "\(r.stderr)")
    try Data("{\"settings\": ".utf8).write(to: URL(fileURLWithPath: checkpoint))
    let s = try FeelBinary.run(args)
    #expect(s.status == 2)
    #expect(s.errorLines.count == 1, "\(s.stderr)")
    #expect(s.stderr.hasPrefix("feel: --checkpoint"), "\(s.stderr)")
  }
}
