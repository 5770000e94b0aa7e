import Foundation
import Testing

/// Every invalid scenario or option: exit status 2, nothing on stdout and exactly one
/// non-empty line on stderr that names the offending field or option.
@Suite struct BadInputCLITests {
  /// A bad input: the scenario text (nil: no file is written) and extra arguments, and
  /// the text the error line must contain.
  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    var scenario: String?
    var arguments: [String]
    var names: String
    var testDescription: String { label }
  }

  static let cpu = #"{"cpuHz": 1e9, "uplinkBps": 1e8, "downlinkBps": 1e8}"#
  static let gpu =
    #"{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.001, "thresholdBatch": 32, "flops": 1e12}, "uplinkBps": 1e8, "downlinkBps": 1e8}"#

  /// A valid scenario with `top` extra top-level text and the given devices.
  static func scenario(_ top: String = "", devices: [String] = [cpu]) -> String {
    #"{"gradientBits": 2.58e8, "cyclesPerSample": 3e8, "#
      + (top.isEmpty ? "" : top + ", ")
      + #""devices": ["# + devices.joined(separator: ", ") + "]}"
  }

  static func file(_ label: String, _ text: String, _ names: String, _ args: [String] = []) -> Case
  {
    Case(label: label, scenario: text, arguments: args, names: names)
  }

  static let cases: [Case] = [
    Case(
      label: "unreadable file", scenario: nil, arguments: ["solve", "/nonexistent/feel.json"],
      names: "SCENARIO"),
    file("malformed JSON", #"{"gradientBits": 2.58e8, "devices": ["#, "json"),
    file("empty file", "", "json"),
    file("top level not an object", "[1, 2, 3]", "json"),
    file("NaN literal", scenario(#""lossDecayCoefficient": NaN"#), "json"),
    file("number overflowing a double", scenario(#""updateCycles": 1e400"#), "json"),
    file("unknown top-level key", scenario(#""gradientBitz": 3"#), "gradientBitz"),
    file(
      "unknown device key",
      scenario(devices: [#"{"cpuHz": 1e9, "uplinkBps": 1e8, "downlinkBps": 1e8, "gpuHz": 1}"#]),
      "devices[0].gpuHz"),
    file(
      "unknown gpu key",
      scenario(devices: [
        cpu,
        #"{"gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.001, "thresholdBatch": 32, "flops": 1e12, "cores": 8}, "uplinkBps": 1e8, "downlinkBps": 1e8}"#,
      ]), "devices[1].gpu.cores"),
    file(
      "unknown channel key", scenario(#""channel": {"bandwith": 1e7}"#), "channel.bandwith"),
    file("unknown fading", scenario(#""channel": {"fading": "rician"}"#), "channel.fading"),
    file(
      "missing gradientBits",
      #"{"cyclesPerSample": 3e8, "devices": [{"cpuHz": 1e9, "uplinkBps": 1e8, "downlinkBps": 1e8}]}"#,
      "gradientBits"),
    file(
      "missing cyclesPerSample with a CPU",
      #"{"gradientBits": 1e6, "devices": [{"cpuHz": 1e9, "uplinkBps": 1e8, "downlinkBps": 1e8}]}"#,
      "cyclesPerSample"),
    file("missing devices", #"{"gradientBits": 1e6}"#, "devices"),
    file("no devices", scenario(devices: []), "devices"),
    file(
      "negative cpuHz",
      scenario(devices: [#"{"cpuHz": -1e9, "uplinkBps": 1e8, "downlinkBps": 1e8}"#]),
      "devices[0].cpuHz"),
    file(
      "zero uplinkBps",
      scenario(devices: [cpu, #"{"cpuHz": 1e9, "uplinkBps": 0, "downlinkBps": 1e8}"#]),
      "devices[1].uplinkBps"),
    file(
      "negative distance",
      scenario(devices: [#"{"cpuHz": 1e9, "distanceMeters": -5}"#]), "devices[0].distanceMeters"),
    file(
      "string for a number", scenario(#""lossDecayCoefficient": "nan""#), "lossDecayCoefficient"),
    file(
      "zero gradient", #"{"gradientBits": 0, "cyclesPerSample": 3e8, "devices": [\#(cpu)]}"#,
      "gradientBits"),
    file("negative frame", scenario(#""uplinkFrameSeconds": -0.01"#), "uplinkFrameSeconds"),
    file("huge maxBatch", scenario(#""maxBatch": 1e300"#), "maxBatch"),
    file("maxBatch 0", scenario(#""maxBatch": 0"#), "maxBatch"),
    file("maxBatch 2.5", scenario(#""maxBatch": 2.5"#), "maxBatch"),
    file(
      "thresholdBatch above maxBatch", scenario(#""maxBatch": 16"#, devices: [gpu]),
      "devices[0].gpu.thresholdBatch"),
    file(
      "both cpuHz and gpu",
      scenario(devices: [
        #"{"cpuHz": 1e9, "gpu": {"baseSeconds": 0.1, "secondsPerSample": 0.001, "thresholdBatch": 32, "flops": 1e12}, "uplinkBps": 1e8, "downlinkBps": 1e8}"#
      ]), "devices[0]"),
    file("no link", scenario(devices: [#"{"cpuHz": 1e9}"#]), "devices[0]"),
    file(
      "rates and distance",
      scenario(devices: [
        #"{"cpuHz": 1e9, "uplinkBps": 1e8, "downlinkBps": 1e8, "distanceMeters": 50}"#
      ]),
      "devices[0]"),
    file(
      "uplink without downlink", scenario(devices: [#"{"cpuHz": 1e9, "uplinkBps": 1e8}"#]),
      "devices[0].downlinkBps"),
    file(
      "both gradientBits and parameters", scenario(#""parameters": 8062504"#), "parameters"),
    file(
      "power exponent above 1",
      scenario(#""lossDecay": {"model": "power", "coefficient": 1, "exponent": 1.5}"#),
      "lossDecay.exponent"),
    file(
      "power exponent 0",
      scenario(#""lossDecay": {"model": "power", "coefficient": 1, "exponent": 0}"#),
      "lossDecay.exponent"),
    file(
      "power exponent not finite",
      scenario(#""lossDecay": {"model": "power", "coefficient": 1, "exponent": 1e400}"#), "json"),
    file(
      "power coefficient negative",
      scenario(#""lossDecay": {"model": "power", "coefficient": -1, "exponent": 0.5}"#),
      "lossDecay.coefficient"),
    file(
      "power without exponent", scenario(#""lossDecay": {"model": "power", "coefficient": 1}"#),
      "lossDecay.exponent"),
    file(
      "saturating maxDecrease 0",
      scenario(#""lossDecay": {"model": "saturating", "maxDecrease": 0, "noiseBatch": 10}"#),
      "lossDecay.maxDecrease"),
    file(
      "saturating negative noiseBatch",
      scenario(#""lossDecay": {"model": "saturating", "maxDecrease": 1, "noiseBatch": -1}"#),
      "lossDecay.noiseBatch"),
    file(
      "saturating without noiseBatch",
      scenario(#""lossDecay": {"model": "saturating", "maxDecrease": 1}"#),
      "lossDecay.noiseBatch"),
    file(
      "both lossDecay and lossDecayCoefficient",
      scenario(#""lossDecayCoefficient": 2, "lossDecay": {"model": "sqrt"}"#), "lossDecay"),
    file(
      "unknown loss-decay model", scenario(#""lossDecay": {"model": "linear"}"#),
      "lossDecay.model"),
    file(
      "loss-decay model missing", scenario(#""lossDecay": {"coefficient": 1}"#), "lossDecay.model"),
    file(
      "unknown key inside lossDecay",
      scenario(#""lossDecay": {"model": "sqrt", "coefficient": 1, "exponent": 0.5}"#),
      "lossDecay.exponent"),
    file("lossDecay not an object", scenario(#""lossDecay": "sqrt""#), "lossDecay"),
    Case(
      label: "global batch below K", scenario: nil, arguments: ["--global-batch", "3"],
      names: "--global-batch"),
    Case(
      label: "global batch above K·Bmax", scenario: nil, arguments: ["--global-batch", "1e9"],
      names: "--global-batch"),
    Case(
      label: "global batch not a number", scenario: nil, arguments: ["--global-batch", "many"],
      names: "--global-batch"),
    Case(
      label: "global batch nan", scenario: nil, arguments: ["--global-batch", "nan"],
      names: "--global-batch"),
    Case(
      label: "global batch inf", scenario: nil, arguments: ["--global-batch", "inf"],
      names: "--global-batch"),
    Case(
      label: "global batch missing value", scenario: nil, arguments: ["--global-batch"],
      names: "--global-batch"),
    Case(
      label: "unknown option", scenario: nil, arguments: ["--frobnicate"], names: "--frobnicate"),
    Case(
      label: "unknown option of solve", scenario: nil, arguments: ["solve", "--jsn"], names: "--jsn"
    ),
    Case(
      label: "unknown subcommand", scenario: nil, arguments: ["frobnicate"], names: "frobnicate"),
    Case(
      label: "too many arguments", scenario: nil, arguments: ["solve", "a.json", "b.json"],
      names: "b.json"),
    Case(
      label: "sweep unknown parameter", scenario: nil,
      arguments: ["sweep", "--parameter", "colour", "--from", "1", "--to", "2"],
      names: "--parameter"),
    Case(
      label: "sweep without parameter", scenario: nil,
      arguments: ["sweep", "--from", "1", "--to", "2"],
      names: "--parameter"),
    Case(
      label: "sweep nan start", scenario: nil,
      arguments: ["sweep", "--parameter", "cpu", "--from", "nan", "--to", "2"], names: "--from"),
    Case(
      label: "sweep zero steps", scenario: nil,
      arguments: ["sweep", "--parameter", "cpu", "--from", "1", "--to", "2", "--steps", "0"],
      names: "--steps"),
    Case(
      label: "sweep device out of range", scenario: nil,
      arguments: ["sweep", "--parameter", "cpu", "--from", "1", "--to", "2", "--device", "12"],
      names: "--device"),
    Case(
      label: "sweep negative gradient", scenario: nil,
      arguments: ["sweep", "--parameter", "gradient", "--from", "-1", "--to", "2"], names: "--from"),
    Case(
      label: "rounds zero", scenario: nil, arguments: ["rounds", "--rounds", "0"], names: "--rounds"
    ),
    Case(
      label: "rounds negative seed", scenario: nil, arguments: ["rounds", "--seed", "-1"],
      names: "--seed"),
    Case(
      label: "rounds json and csv", scenario: nil, arguments: ["rounds", "--json", "--csv"],
      names: "--csv"),
  ]

  @Test(arguments: cases)
  func exitsTwoWithOneLineNamingTheField(_ c: Case) throws {
    var arguments = c.arguments
    if let text = c.scenario {
      let path = try FeelBinary.temporaryFile(text)
      arguments = ["solve", path, "--json"] + arguments
    }
    let r = try FeelBinary.run(arguments)
    #expect(r.status == 2, "\(c.label): status \(r.status), stderr \(r.stderr)")
    #expect(r.stdout.isEmpty, "\(c.label): stdout \(r.stdout.prefix(200))")
    let lines = r.errorLines
    #expect(lines.count == 1, "\(c.label): \(lines.count) lines: \(r.stderr)")
    #expect(r.stderr.hasSuffix("\n") && !r.stderr.hasSuffix("\n\n"), "\(c.label)")
    #expect(lines.first?.contains(c.names) == true, "\(c.label): '\(r.stderr)' lacks '\(c.names)'")
  }

  @Test func helpExitsZero() throws {
    let r = try FeelBinary.run(["--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("sweep") && r.stdout.contains("rounds"))
  }
}
