import FEEL
import Foundation
import Testing

/// The checks of the libFuzzer harness (`Tests/Fuzz/ScenarioFuzzer.swift`, run by
/// `scripts/fuzz.sh`) on its seed corpus and on every input it has found: the reader never
/// traps, and a certified status always comes with a certificate that verifies. A crash or
/// hang input the fuzzer finds is added to `inputs` as inline bytes (none so far).
@Suite struct FuzzRegressionTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

  /// Edge inputs written by hand (a subnormal gradient size, the largest maxBatch,
  /// invalid UTF-8); crash inputs of the fuzzer go here too.
  static let inputs: [[UInt8]] = [
    Array(
      #"{"gradientBits": 1e-320, "cyclesPerSample": 1, "devices": [{"cpuHz": 1, "uplinkBps": 1e-10, "downlinkBps": 1}]}"#
        .utf8),
    Array(
      #"{"gradientBits": 1, "maxBatch": 9223372036854775807, "cyclesPerSample": 1, "devices": [{"cpuHz": 1, "uplinkBps": 1, "downlinkBps": 1}]}"#
        .utf8),
    Array("{\"devices\": [".utf8) + [0xFF, 0xFE, 0x00],
  ]

  static func check(_ bytes: Data, _ label: String) {
    guard let scenario = try? Scenario(json: bytes), scenario.deviceCount <= 64,
      let solver = try? FEELSolver(scenario)
    else { return }
    let best = solver.optimize()
    #expect(best.status.isCertified == solver.verify(best).passed, "\(label): \(best.status)")
    let lo = solver.data.minimumGlobalBatch
    let hi = solver.data.maximumGlobalBatch
    if let fixed = try? solver.solve(globalBatch: ((lo + hi) / 2).rounded()) {
      #expect(fixed.status.isCertified == solver.verify(fixed).passed, "\(label): \(fixed.status)")
    }
  }

  @Test func seedCorpus() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
    #expect(files.count >= 10)
    for name in files {
      Self.check(try Data(contentsOf: Self.corpus.appendingPathComponent(name)), name)
    }
  }

  @Test func inlineInputs() {
    for (i, bytes) in Self.inputs.enumerated() { Self.check(Data(bytes), "inputs[\(i)]") }
  }
}
