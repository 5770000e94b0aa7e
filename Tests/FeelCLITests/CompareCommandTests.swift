import FEEL
import Foundation
import Testing

/// Runs `feel` (``FeelBinary``) and captures its output.
private func runFeel(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let run = try FeelBinary.run(arguments)
  return (run.status, run.stdout, run.stderr)
}

private func temporaryFile(_ name: String, _ text: String) throws -> String {
  try FeelBinary.temporaryFile(text, name: name)
}

/// `feel compare` and `feel fit-gpu` as a user runs them.
@Suite struct CompareCommandTests {
  static let gpuScenario = """
    {"gradientBits": 4e6, "updateFlops": 2e9, "maxBatch": 256, "devices": [
      {"gpu": {"baseSeconds": 0.03, "secondsPerSample": 0.002, "thresholdBatch": 16, "flops": 1e13},
       "uplinkBps": 5e7, "downlinkBps": 2e8},
      {"gpu": {"baseSeconds": 0.02, "secondsPerSample": 0.001, "thresholdBatch": 32, "flops": 2e13},
       "uplinkBps": 2e7, "downlinkBps": 1e8},
      {"cpuHz": 2e9, "uplinkBps": 1e8, "downlinkBps": 3e8}],
     "cyclesPerSample": 1e7}
    """

  @Test func compareJSONListsEveryBaselineWithBothSlotsAndItsGain() throws {
    let path = try temporaryFile("mixed.json", Self.gpuScenario)
    let r = try runFeel(["compare", path, "--json", "--subgradient-iterations", "300"])
    #expect(r.status == 0, "\(r.err)")
    let root = try JSONValue.parse(Data(r.out.utf8))
    guard case .number(let best)? = root["optimal"]?["learningEfficiency"],
      case .array(let rows)? = root["baselines"]
    else {
      Issue.record("missing optimal or baselines: \(r.out)")
      return
    }
    #expect(rows.count == 10)
    var names = Set<String>()
    for row in rows {
      guard case .string(let name)? = row["name"], case .string(let slots)? = row["slots"],
        case .number(let e)? = row["learningEfficiency"], case .number(let gain)? = row["gain"],
        case .number? = row["roundSeconds"], case .number? = row["globalBatch"]
      else {
        Issue.record("incomplete row \(row)")
        continue
      }
      names.insert(name)
      #expect(["optimal", "equal"].contains(slots))
      #expect(e <= best * (1 + 1e-12), "\(name)/\(slots)")
      #expect(abs(gain - best / e) <= 1e-12 * gain)
    }
    #expect(
      names == ["online-learning", "full-batch", "random-batch", "equal-batches", "fixed-batch"])
    guard case .number(let iterations)? = root["subgradient"]?["iterations"] else {
      Issue.record("missing subgradient")
      return
    }
    #expect(iterations <= 300)
  }

  @Test func compareTableIsAlignedAndNamesEveryPolicy() throws {
    let r = try runFeel(["compare", "--subgradient-iterations", "0"])
    #expect(r.status == 0, "\(r.err)")
    let lines = r.out.split(separator: "\n").map(String.init)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("policy") }) else {
      Issue.record("no header in \(r.out)")
      return
    }
    let table = lines[header...(header + 11)]
    #expect(
      Set(table.map(\.count)).count == 1,
      "rows of different widths:\n\(table.joined(separator: "\n"))")
    #expect(table.dropFirst().first?.hasPrefix("optimal") == true)
    #expect(!r.out.contains("subgradient"))
  }

  @Test func compareRejectsBadOptionsWithOneLine() throws {
    for args in [
      ["compare", "--fixed-batch", "0"], ["compare", "--global-batch", "1e12"],
      ["compare", "--global-batch", "abc"], ["compare", "/nonexistent/scenario.json"],
      ["compare", "--subgradient-iterations=-5"],
    ] {
      let r = try runFeel(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.err.split(separator: "\n").count == 1, "\(args): \(r.err)")
      #expect(r.out.isEmpty, "\(args)")
    }
  }

  @Test func fitGPURecoversTheCurveAndPrintsTheScenarioObject() throws {
    var csv = "batch,seconds\n"
    for b in stride(from: 1, through: 128, by: 3) {
      csv += "\(b),\(0.04 + 0.0025 * Double(max(0, b - 40)))\n"
    }
    let path = try temporaryFile("fit.csv", csv)
    let r = try runFeel(["fit-gpu", path, "--json", "--flops=2e13"])
    #expect(r.status == 0, "\(r.err)")
    let root = try JSONValue.parse(Data(r.out.utf8))
    #expect(root["thresholdBatch"] == .number(40))
    guard case .number(let c)? = root["secondsPerSample"],
      case .number(let t)? = root["baseSeconds"]
    else {
      Issue.record("missing coefficients: \(r.out)")
      return
    }
    #expect(abs(c - 0.0025) <= 1e-12)
    #expect(abs(t - 0.04) <= 1e-12)
    #expect(root["gpu"]?["flops"] == .number(2e13))
    let text = try runFeel(["fit-gpu", path])
    #expect(text.status == 0)
    #expect(text.out.contains("\"gpu\": {\"baseSeconds\""))
    #expect(text.out.contains("flops"))
  }

  @Test func fitGPURejectsBadFilesWithExitStatus2AndOneLine() throws {
    let files = [
      "short": "batch,seconds\n1,0.1\n2,0.1\n",
      "text": "1,0.1\n2,zero\n3,0.2\n",
      "columns": "1,0.1,7\n2,0.1\n3,0.2\n",
      "header": "size,time\n1,0.1\n2,0.1\n3,0.2\n",
      "negative": "1,0.1\n-2,0.1\n3,0.2\n",
      "nan": "1,0.1\n2,nan\n3,0.2\n",
      "same": "4,0.1\n4,0.2\n8,0.3\n8,0.3\n",
      "decreasing": "1,0.4\n2,0.3\n3,0.2\n4,0.1\n",
      "empty": "",
    ]
    for (name, text) in files {
      let r = try runFeel(["fit-gpu", try temporaryFile("bad-\(name).csv", text)])
      #expect(r.status == 2, "\(name): \(r.out)")
      #expect(r.err.split(separator: "\n").count == 1, "\(name): \(r.err)")
      #expect(r.err.hasPrefix("feel: "), "\(name)")
    }
    let missing = try runFeel(["fit-gpu", "/nonexistent/measurements.csv"])
    #expect(missing.status == 2)
    #expect(missing.err.contains("/nonexistent/measurements.csv"))
  }
}
