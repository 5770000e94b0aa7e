import Foundation
import Testing

/// `feel sweep` and `feel rounds` through the real binary.
@Suite struct SweepRoundsCLITests {
  @Test func sweepPrintsCSVWithOneRowPerStep() throws {
    let r = try FeelBinary.run([
      "sweep", "--parameter", "bandwidth", "--from", "1e6", "--to", "1e8", "--steps", "5", "--log",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 6)
    #expect(lines.first?.hasPrefix("bandwidth,devices,learningEfficiency,globalBatch") == true)
    let efficiencies = lines.dropFirst().compactMap { Double($0.split(separator: ",")[2]) }
    #expect(efficiencies.count == 5)
    #expect(zip(efficiencies, efficiencies.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test func sweepWritesCSVFileJSONAndPictures() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-sweep-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("out.csv").path
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let r = try FeelBinary.run([
      "sweep", "--parameter", "devices", "--from", "2", "--to", "24", "--steps", "4", "--csv", csv,
      "--svg-dir", dir.appendingPathComponent("svg").path, "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let json = FeelBinary.json(r.stdout)
    #expect((json?["points"] as? [Any])?.count == 4)
    let table = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(table.split(separator: "\n").count == 5)
    for name in [
      "sweep-efficiency.svg", "sweep-global-batch.svg", "batch-vs-rate.svg",
      "efficiency-vs-batch.svg", "allocation.svg",
    ] {
      let path = dir.appendingPathComponent("svg/\(name)").path
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      #expect(text.hasPrefix("<?xml") && text.hasSuffix("</svg>\n"), "\(name)")
    }
  }

  @Test func roundsIsDeterministicForASeed() throws {
    let a = try FeelBinary.run(["rounds", "--rounds", "8", "--seed", "123", "--json"])
    let b = try FeelBinary.run(["rounds", "--rounds", "8", "--seed", "123", "--json"])
    let c = try FeelBinary.run(["rounds", "--rounds", "8", "--seed", "124", "--json"])
    #expect(a.status == 0, "\(a.stderr)")
    #expect(a.stdout == b.stdout)
    #expect(a.stdout != c.stdout)
    let json = FeelBinary.json(a.stdout)
    let rounds = json?["rounds"] as? [[String: Any]]
    #expect(rounds?.count == 8)
    #expect((rounds?.first?["devices"] as? [Any])?.count == 12)
    let summary = json?["summary"] as? [String: Any]
    #expect((summary?["devices"] as? [Any])?.count == 12)
    let csv = try FeelBinary.run(["rounds", "--rounds", "3", "--seed", "123", "--csv"])
    #expect(csv.stdout.split(separator: "\n").count == 1 + 3 * 12)
    let table = try FeelBinary.run(["rounds", "--rounds", "3"])
    #expect(table.status == 0 && table.stdout.contains("Summary over rounds"))
  }

  @Test func sweepOverTheLossDecayExponentAndNoiseBatch() throws {
    let power = try FeelBinary.run([
      "sweep", "--parameter", "exponent", "--from", "0.3", "--to", "1", "--steps", "3", "--json",
    ])
    #expect(power.status == 0, "\(power.stderr)")
    let noise = try FeelBinary.run([
      "sweep", "--parameter", "noiseBatch", "--from", "10", "--to", "1000", "--steps", "3", "--log",
    ])
    #expect(noise.status == 0, "\(noise.stderr)")
    #expect(noise.stdout.split(separator: "\n").count >= 4)
    // An exponent above 1 is refused naming the field.
    let bad = try FeelBinary.run([
      "sweep", "--parameter", "exponent", "--from", "0.5", "--to", "2", "--steps", "3",
    ])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("lossDecay.exponent"), "\(bad.stderr)")
  }
}
