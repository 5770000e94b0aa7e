import FEEL
import Foundation
import Testing

/// Bad scenario files give a typed ``ScenarioError`` naming the field; nothing traps.
@Suite struct ScenarioValidationTests {
  static let good = """
    {"gradientBits": 1e6, "cyclesPerSample": 1e7, "devices": [{"cpuHz": 1e9, "uplinkBps": 1e7, "downlinkBps": 2e7}]}
    """

  /// (JSON text, the field the error must name)
  static let cases: [(String, String)] = [
    ("{", "json"),
    ("[]", "json"),
    (#"{"gradientBits": 1e6, "devices": [], "cyclesPerSample": 1}"#, "devices"),
    (
      #"{"cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "gradientBits"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "typo": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "typo"
    ),
    (
      #"{"gradientBits": -1, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "gradientBits"
    ),
    (
      #"{"gradientBits": "1e6", "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "gradientBits"
    ),
    (
      #"{"gradientBits": true, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "gradientBits"
    ),
    (
      #"{"gradientBits": 1e6, "maxBatch": 0, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "maxBatch"
    ),
    (
      #"{"gradientBits": 1e6, "maxBatch": 2.5, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "maxBatch"
    ),
    (
      #"{"gradientBits": 1e6, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "cyclesPerSample"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 0, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].cpuHz"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1}]}"#,
      "devices[0].downlinkBps"
    ),
    (#"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9}]}"#, "devices[0]"),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0]"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "speed": 2, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].speed"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "distanceMeters": -5}]}"#,
      "devices[0].distanceMeters"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "distanceMeters": 5, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0]"
    ),
    (
      #"{"gradientBits": 1e6, "maxBatch": 8, "devices": [{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.01, "thresholdBatch": 9, "flops": 1e12}, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].gpu.thresholdBatch"
    ),
    (
      #"{"gradientBits": 1e6, "devices": [{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0, "thresholdBatch": 1, "flops": 1e12}, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].gpu.secondsPerSample"
    ),
    (
      #"{"gradientBits": 1e6, "devices": [{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.1, "thresholdBatch": 1}, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].gpu.flops"
    ),
    (
      #"{"gradientBits": 1e6, "devices": [{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.1, "thresholdBatch": 1, "flops": 1, "x": 1}, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0].gpu.x"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.1, "thresholdBatch": 1, "flops": 1}, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "devices[0]"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "channel": {"fading": "ricean"}, "devices": [{"cpuHz": 1e9, "distanceMeters": 50}]}"#,
      "channel.fading"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "channel": {"bandwidth": 1}, "devices": [{"cpuHz": 1e9, "distanceMeters": 50}]}"#,
      "channel.bandwidth"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "channel": {"bandwidthHz": 0}, "devices": [{"cpuHz": 1e9, "distanceMeters": 50}]}"#,
      "channel.bandwidthHz"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "uplinkFrameSeconds": 0, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "uplinkFrameSeconds"
    ),
    (
      #"{"parameters": 10, "gradientBits": 320, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#,
      "parameters"
    ),
    (
      #"{"gradientBits": 1e300, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1e-300, "downlinkBps": 1}]}"#,
      "devices[0]"
    ),
    (
      #"{"gradientBits": 1e6, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "distanceMeters": 1e300}]}"#,
      "devices[0].distanceMeters"
    ),
  ]

  @Test func theGoodScenarioReads() throws {
    let s = try Scenario(json: Data(Self.good.utf8))
    #expect(s.deviceCount == 1)
    #expect(s.maxBatch == 128 && s.uplinkFrameSeconds == 0.01 && s.lossDecayCoefficient == 1)
  }

  @Test(arguments: 0..<cases.count)
  func badScenarioNamesItsField(index: Int) {
    let (text, field) = Self.cases[index]
    do {
      _ = try Scenario(json: Data(text.utf8))
      Issue.record("case \(index) was accepted: \(text)")
    } catch let error as ScenarioError {
      #expect(error.field.hasPrefix(field), "case \(index): got \(error)")
      #expect(!error.description.contains("\n"))
    } catch {
      Issue.record("case \(index): untyped error \(error)")
    }
  }

  @Test func parametersAndBitsGiveTheGradientSize() throws {
    let text =
      #"{"parameters": 8062504, "cyclesPerSample": 1, "devices": [{"cpuHz": 1e9, "uplinkBps": 1, "downlinkBps": 1}]}"#
    #expect(try Scenario(json: Data(text.utf8)).gradientBits == 32 * 8_062_504)
  }

  @Test func scenarioRoundTripsThroughJSON() throws {
    let s = Scenario.paperDefault
    let text = s.jsonValue.serialized()
    #expect(try Scenario(json: Data(text.utf8)) == s)
  }

  @Test func globalBatchOutsideTheRangeIsAnInfeasibleRequest() throws {
    let solver = try FEELSolver(.paperDefault)
    for B in [0, 11.99, 12 * 128 + 1, .nan, .infinity, -.infinity] {
      #expect(throws: InfeasibleRequest.self, "B = \(B)") { try solver.solve(globalBatch: B) }
    }
  }
}
