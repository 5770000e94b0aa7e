import Foundation
import Testing

/// `feel train --loss-decay`: the optimal policy is optimized under the given model, so a
/// model equal to the paper's √B (power with α = 1/2) trains exactly as without the option,
/// a saturating model with a small noise batch picks a smaller global batch, and bad input
/// exits with status 2 and one line naming the option.
@Suite struct TrainLossDecayCLITests {
  static let common = [
    "--scheme", "optimal", "--rounds", "2", "--hidden", "8", "--evaluate-every", "1", "--seeds",
    "1", "--json",
  ]

  static func globalBatch(_ text: String) -> Int? {
    let runs = (FeelBinary.json(text)?["runs"] as? [[String: Any]]) ?? []
    return (runs.first?["globalBatch"] as? NSNumber)?.intValue
  }

  @Test func powerOneHalfTrainsExactlyAsTheSquareRootModel() throws {
    let dir = try TrainCLITests.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let plain = try FeelBinary.run(["train", "--data", dir.path] + Self.common)
    #expect(plain.status == 0, "\(plain.stderr)")
    let power = try FeelBinary.run(
      ["train", "--data", dir.path] + Self.common
        + ["--loss-decay", #"{"model": "power", "coefficient": 3, "exponent": 0.5}"#])
    #expect(power.status == 0, "\(power.stderr)")
    #expect(Self.globalBatch(plain.stdout) != nil)
    #expect(power.stdout == plain.stdout)
  }

  @Test func aSmallNoiseBatchGivesASmallerGlobalBatch() throws {
    let dir = try TrainCLITests.dataFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("model.json")
    try Data(#"{"model": "saturating", "maxDecrease": 0.01, "noiseBatch": 2}"#.utf8).write(to: file)
    let plain = try FeelBinary.run(["train", "--data", dir.path] + Self.common)
    let measured = try FeelBinary.run(
      ["train", "--data", dir.path] + Self.common + ["--loss-decay", file.path])
    #expect(measured.status == 0, "\(measured.stderr)")
    let a = try #require(Self.globalBatch(plain.stdout))
    let b = try #require(Self.globalBatch(measured.stdout))
    #expect(b < a, "saturating B* = \(b), sqrt B* = \(a)")
  }

  @Test(arguments: [
    (#"{"model": "power", "coefficient": 1, "exponent": 2}"#, "--loss-decay.exponent"),
    (#"{"model": "saturating", "maxDecrease": 0, "noiseBatch": 5}"#, "--loss-decay.maxDecrease"),
    (#"{"model": "cubic"}"#, "--loss-decay.model"),
    (#"{"model": "sqrt""#, "--loss-decay"),
    ("/no/such/model.json", "--loss-decay"),
  ])
  func badModelsExitWithStatus2AndOneLineNamingTheOption(text: String, field: String) throws {
    let r = try FeelBinary.run(["train", "--rounds", "1", "--loss-decay", text])
    #expect(r.status == 2)
    #expect(r.errorLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("feel: \(field)"), "\(r.stderr)")
  }
}
