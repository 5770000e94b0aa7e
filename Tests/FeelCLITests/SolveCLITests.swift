import FEELTestSupport
import Foundation
import Testing

/// `feel` and `feel solve` as a user meets them: the default scenario, the public vectors
/// and large inputs. Every test runs the real binary (see ``FeelBinary``).
@Suite struct SolveCLITests {
  @Test func noArgumentsPrintsTheDefaultTableAndExitsZero() throws {
    let r = try FeelBinary.run([])
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty, "\(r.stderr)")
    for needle in [
      "Table I, K = 12 CPU devices", "distance m", "batch B_k", "Learning efficiency",
      "C = 3.000e+08", "Certificate",
    ] {
      #expect(r.stdout.contains(needle), "missing '\(needle)'")
    }
    // Twelve device rows, numbered 0…11.
    let rows = r.stdout.split(separator: "\n").filter {
      $0.trimmingCharacters(in: .whitespaces).hasPrefix("11 ")
        || $0.trimmingCharacters(in: .whitespaces).hasPrefix("0 ")
    }
    #expect(rows.count == 2)
    // `feel` is `feel solve`.
    let solve = try FeelBinary.run(["solve"])
    #expect(solve.stdout == r.stdout)
  }

  @Test(arguments: [
    "cpu-3-devices", "gpu-4-devices", "mixed-6-devices", "cpu-3-power-loss-decay",
    "mixed-6-saturating-loss-decay",
  ])
  func publicVectorsMatchToOnePartInABillion(name: String) throws {
    let scenario = FeelBinary.fixtures.appendingPathComponent("\(name).json").path
    let expectedData = try Data(
      contentsOf: FeelBinary.fixtures.appendingPathComponent("\(name).expected.json"))
    guard let expected = try JSONSerialization.jsonObject(with: expectedData) as? [String: Any],
      let efficiency = expected["learningEfficiency"] as? Double,
      let atBatch = expected["uplinkSecondsAtGlobalBatch"] as? [String: Double]
    else {
      Issue.record("\(name): unreadable expected file")
      return
    }
    let r = try FeelBinary.run(["solve", scenario, "--json"])
    #expect(r.status == 0, "\(name): \(r.stderr)")
    guard let got = FeelBinary.json(r.stdout), let e = got["learningEfficiency"] as? Double,
      let devices = got["devices"] as? [[String: Any]]
    else {
      Issue.record("\(name): --json output is not the contract's object")
      return
    }
    #expect(relativeDifference(e, efficiency) <= 1e-9, "\(name): E \(e) vs \(efficiency)")
    #expect(!devices.isEmpty)
    for key in ["batch", "uplinkSlotSeconds", "downlinkSlotSeconds", "uplinkBps", "downlinkBps"] {
      #expect(devices.allSatisfy { $0[key] is Double }, "\(name): devices lack \(key)")
    }
    for (batch, uplink) in atBatch.sorted(by: { Double($0.key)! < Double($1.key)! }) {
      let fixed = try FeelBinary.run(["solve", scenario, "--json", "--global-batch", batch])
      #expect(fixed.status == 0, "\(name) B = \(batch): \(fixed.stderr)")
      let u = FeelBinary.json(fixed.stdout)?["uplinkSeconds"] as? Double ?? .nan
      #expect(relativeDifference(u, uplink) <= 1e-9, "\(name) B = \(batch): T^U \(u) vs \(uplink)")
      let B = FeelBinary.json(fixed.stdout)?["globalBatch"] as? Double ?? .nan
      #expect(relativeDifference(B, Double(batch)!) <= 1e-12, "\(name) B = \(batch)")
    }
  }

  @Test func jsonEchoesTheLossDecayModelAndReportsTheLossDecrease() throws {
    let cases: [(String, [String: Any])] = [
      ("cpu-3-devices", ["model": "sqrt", "coefficient": 1.0]),
      ("cpu-3-power-loss-decay", ["model": "power", "coefficient": 1.0, "exponent": 0.7]),
      (
        "mixed-6-saturating-loss-decay",
        ["model": "saturating", "maxDecrease": 0.8, "noiseBatch": 300.0]
      ),
    ]
    for (name, model) in cases {
      let scenario = FeelBinary.fixtures.appendingPathComponent("\(name).json").path
      let r = try FeelBinary.run(["solve", scenario, "--json"])
      #expect(r.status == 0, "\(name): \(r.stderr)")
      let got = FeelBinary.json(r.stdout)
      let echo = got?["lossDecay"] as? [String: Any] ?? [:]
      #expect(Set(echo.keys) == Set(model.keys), "\(name): \(echo)")
      for (key, value) in model {
        if let text = value as? String {
          #expect(echo[key] as? String == text, "\(name).\(key)")
        } else {
          #expect(echo[key] as? Double == value as? Double, "\(name).\(key)")
        }
      }
      // ΔL(B*) = E·T, from the output's own numbers.
      let e = got?["learningEfficiency"] as? Double ?? .nan
      let t = got?["roundSeconds"] as? Double ?? .nan
      let d = got?["lossDecrease"] as? Double ?? .nan
      #expect(relativeDifference(d, e * t) <= 1e-12, "\(name): ΔL \(d) vs E·T \(e * t)")
      let human = try FeelBinary.run(["solve", scenario])
      #expect(human.status == 0)
      #expect(human.stdout.contains("Loss decay per round:"), "\(name)")
      #expect(human.stdout.contains("(\(model["model"] as? String ?? "?")"), "\(name)")
    }
  }

  @Test func aHundredThousandDevicesSolveAndPrint() throws {
    // Generated with a fixed seed: CPUs of 0.5–3 GHz at rates of 1e6–1e9 bit/s.
    var state: UInt64 = 2024
    func next() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) / 9_007_199_254_740_992
    }
    let K = 100_000
    var text = "{\"gradientBits\": 2.58e8, \"cyclesPerSample\": 3e8, \"updateCycles\": 1.6e7, "
    text += "\"devices\": [\n"
    for k in 0..<K {
      let f = 0.5e9 + 2.5e9 * next()
      let up = pow(10, 6 + 3 * next())
      let down = pow(10, 6 + 3 * next())
      text += "{\"cpuHz\": \(f), \"uplinkBps\": \(up), \"downlinkBps\": \(down)}"
      text += k + 1 < K ? ",\n" : "\n"
    }
    text += "]}\n"
    let path = try FeelBinary.temporaryFile(text, name: "large.json")
    let start = Date()
    let r = try FeelBinary.run(["solve", path, "--json"])
    let seconds = Date().timeIntervalSince(start)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(seconds < 60, "took \(seconds) s")
    let got = FeelBinary.json(r.stdout)
    #expect((got?["devices"] as? [Any])?.count == K)
    let e = got?["learningEfficiency"] as? Double ?? .nan
    #expect(e.isFinite && e > 0)
  }
}
