import Foundation
import Testing

/// `feel fit-loss`: every bad option exits 2 with one line on stderr naming the flag,
/// before any training starts.
@Suite struct FitLossCLITests {
  static let cases: [(arguments: [String], names: String)] = [
    (["--repeats", "0"], "--repeats"),
    (["--hidden", "0"], "--hidden"),
    (["--base-batch", "-3"], "--base-batch"),
    (["--learning-rate", "0"], "--learning-rate"),
    (["--learning-rate", "nan"], "--learning-rate"),
    (["--checkpoints", "300,100"], "--checkpoints"),
    (["--checkpoints", "1,x"], "--checkpoints"),
    (["--batches", "8,8,16"], "--batches"),
    (["--batches", "8,16,0"], "--batches"),
    (["--eval-size", "0"], "--eval-size"),
    (["--bootstrap", "-1"], "--bootstrap"),
    (["--rounds-batches", "8,16"], "--rounds-batches"),
    (["--rounds-seeds", "0"], "--rounds-seeds"),
    (["--target-loss", "-1"], "--target-loss"),
    (["--max-rounds", "0"], "--max-rounds"),
    (["--data", "/nonexistent/feel-idx"], "--data"),
  ]

  @Test(arguments: cases.indices)
  func badOptionExitsTwoNamingTheFlag(index: Int) throws {
    let (arguments, names) = Self.cases[index]
    let run = try FeelBinary.run(["fit-loss", "--quick"] + arguments)
    #expect(run.status == 2, "\(arguments): status \(run.status)")
    #expect(run.stdout.isEmpty, "\(arguments): stdout \(run.stdout)")
    let lines = run.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments): \(run.stderr)")
    #expect(run.stderr.contains(names), "\(arguments): \(run.stderr) does not name \(names)")
  }

  @Test func scenarioCapacityDropsLargeBatchesAndAnUnreadableScenarioIsNamed() throws {
    let run = try FeelBinary.run(["fit-loss", "/nonexistent/fleet.json", "--quick"])
    #expect(run.status == 2)
    #expect(run.stderr.split(separator: "\n").count == 1)
  }
}
