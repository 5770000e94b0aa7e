import Foundation
import Testing

/// `feel verify`: the fast solver cross-checked against the GLPK and LAPACK references on
/// the public vectors, through the real binaries (`feel` execs its sibling `feel-verify`,
/// see ``FeelVerifyBinary``).
@Suite struct VerifyCLITests {
  /// The numbers every check of a `feel verify --json` report must satisfy.
  static func expectAgreement(_ json: [String: Any], _ context: String) {
    guard let agreement = json["agreement"] as? [String: Any],
      let difference = agreement["maxRelativeDifference"] as? Double,
      let gap = agreement["maxCertificateGap"] as? Double,
      let passed = agreement["passed"] as? Bool,
      let uplink = json["uplink"] as? [[String: Any]],
      let downlink = json["downlink"] as? [String: Any]
    else {
      Issue.record("\(context): missing agreement, uplink or downlink")
      return
    }
    #expect(difference <= 1e-7, "\(context): max relative difference \(difference)")
    #expect(gap <= 1e-9, "\(context): certificate gap \(gap)")
    #expect(passed, "\(context)")
    // At least B*, both ends, and the downlink; each with both references' differences.
    #expect(uplink.count >= 3, "\(context)")
    for check in uplink + [downlink] {
      for name in ["glpk", "lapack"] {
        let reference = check[name] as? [String: Any]
        let d = reference?["relativeDifference"] as? Double ?? .nan
        #expect(d <= 1e-7, "\(context): \(check["label"] ?? "?") \(name) difference \(d)")
      }
    }
    let batches = uplink.compactMap { $0["globalBatch"] as? Double }
    let K = (json["devices"] as? Double) ?? 0
    #expect(batches.contains(K), "\(context): the smallest global batch K is checked")
  }

  @Test(arguments: [
    "cpu-3-devices", "gpu-4-devices", "mixed-6-devices", "cpu-3-power-loss-decay",
    "mixed-6-saturating-loss-decay",
  ])
  func verifyJSONAgreesToOnePartInTenMillionOnThePublicVectors(name: String) throws {
    try #require(FeelVerifyBinary.besideFeel, "feel-verify is not next to feel")
    let scenario = FeelBinary.fixtures.appendingPathComponent("\(name).json").path
    let r = try FeelBinary.run(["verify", scenario, "--json"])
    #expect(r.status == 0, "\(name): \(r.stderr)")
    #expect(r.stderr.isEmpty, "\(name): \(r.stderr)")
    guard let json = FeelBinary.json(r.stdout) else {
      Issue.record("\(name): not JSON: \(r.stdout)")
      return
    }
    Self.expectAgreement(json, name)
    #expect(json["mode"] as? String == "optimize")
    // The references' own search over B reaches the fast optimum.
    let optimum = json["referenceOptimum"] as? [String: Any]
    let difference = optimum?["relativeDifference"] as? Double ?? .nan
    #expect(difference <= 1e-7, "\(name): reference optimum differs by \(difference)")
  }

  @Test func verifyAtAFixedGlobalBatchChecksThatBatch() throws {
    try #require(FeelVerifyBinary.besideFeel, "feel-verify is not next to feel")
    let scenario = FeelBinary.fixtures.appendingPathComponent("gpu-4-devices.json").path
    let r = try FeelBinary.run(["verify", scenario, "--json", "--global-batch", "50"])
    #expect(r.status == 0, "\(r.stderr)")
    guard let json = FeelBinary.json(r.stdout) else {
      Issue.record("not JSON: \(r.stdout)")
      return
    }
    Self.expectAgreement(json, "gpu-4-devices at B = 50")
    #expect(json["mode"] as? String == "fixed")
    #expect(json["globalBatch"] as? Double == 50)
  }

  @Test func verifyTablePrintsTheAgreementAndTheCertificate() throws {
    try #require(FeelVerifyBinary.besideFeel, "feel-verify is not next to feel")
    let r = try FeelBinary.run(["verify"])
    #expect(r.status == 0, "\(r.stderr)")
    for needle in [
      "GLPK diff", "LAPACK diff", "cert gap", "efficiency upper bound", "max relative difference",
      "PASSED",
    ] {
      #expect(r.stdout.contains(needle), "missing '\(needle)'")
    }
  }

  @Test(arguments: [
    ["verify", "--global-batch", "1e9"], ["verify", "--global-batch", "abc"],
    ["verify", "/nonexistent/scenario.json"],
  ])
  func badInputExitsTwoWithOneLine(arguments: [String]) throws {
    try #require(FeelVerifyBinary.besideFeel, "feel-verify is not next to feel")
    let r = try FeelBinary.run(arguments)
    #expect(r.status == 2, "\(arguments): \(r.stdout)")
    #expect(r.errorLines.count == 1, "\(arguments): \(r.stderr)")
    #expect(r.stdout.isEmpty, "\(arguments)")
  }

  @Test func feelVerifyDirectlyMatchesFeelVerify() throws {
    let path = try #require(FeelVerifyBinary.path)
    let scenario = FeelBinary.fixtures.appendingPathComponent("cpu-3-devices.json").path
    let run = try ProcessRunner.run(path, [scenario, "--json"])
    #expect(run.status == 0)
    let direct = run.stdout
    if FeelVerifyBinary.besideFeel {
      #expect(try FeelBinary.run(["verify", scenario, "--json"]).stdout == direct)
    }
  }
}

/// `feel verify` without its sibling: exit 2 and one line telling how to build it.
@Suite struct VerifyMissingSiblingCLITests {
  @Test func verifyWithoutFeelVerifyExitsTwoNamingTheBuildCommand() throws {
    let feel = try #require(FeelBinary.path)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-alone-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let copy = dir.appendingPathComponent("feel")
    try FileManager.default.copyItem(atPath: feel, toPath: copy.path)
    let run = try ProcessRunner.run(copy.path, ["verify"])
    let lines = run.errorLines
    #expect(run.status == 2)
    #expect(lines.count == 1, "\(lines)")
    #expect(
      lines.first?.contains(
        "feel verify needs the feel-verify executable: swift build --product feel-verify") == true,
      "\(lines)")
  }
}
