import Foundation
import Testing

/// `feel fit-loss`: every bad option exits 2 with one line on stderr naming the flag,
/// before any training starts.
@Suite struct FitLossCLITests {
  static let cases: [(arguments: [String], names: String)] = [
    (["--repeats", "0"], "--repeats"),
    (["--hidden", "0"], "--hidden"),
    (["--reference-runs", "0"], "--reference-runs"),
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

/// A small real probe through the binary (Fashion-MNIST, `--quick` made smaller): the JSON
/// has the contract's shape, each fit without its extra keys is a valid `lossDecay` value,
/// and the same seed prints the same output.
@Suite struct FitLossRunCLITests {
  static let arguments = [
    "fit-loss", "--quick", "--json", "--hidden", "16", "--repeats", "4", "--bootstrap", "50",
    "--eval-size", "512",
  ]

  @Test func quickProbePrintsValidLossDecayFitsReproducibly() throws {
    let first = try FeelBinary.run(Self.arguments)
    #expect(first.status == 0, "\(first.stderr)")
    let json = try #require(FeelBinary.json(first.stdout))
    let fits = try #require(json["fits"] as? [[String: Any]])
    #expect(fits.count == 2)
    let power = fits[0]
    #expect(power["model"] as? String == "power")
    let xi = try #require(power["coefficient"] as? Double)
    let alpha = try #require(power["exponent"] as? Double)
    #expect(xi > 0 && xi.isFinite)
    #expect(alpha > 0 && alpha <= 1)
    let interval = try #require(power["exponentInterval"] as? [Double])
    #expect(interval.count == 2 && interval[0] <= interval[1])
    #expect(power["sqrtInInterval"] as? Bool == (interval[0] <= 0.5 && 0.5 <= interval[1]))
    let saturating = fits[1]
    #expect(saturating["model"] as? String == "saturating")
    let l = try #require(saturating["maxDecrease"] as? Double)
    let noise = try #require(saturating["noiseBatch"] as? Double)
    #expect(l > 0 && l.isFinite && noise >= 0 && noise.isFinite)
    #expect(["power", "saturating"].contains(json["preferredModel"] as? String ?? ""))
    let points = try #require(json["points"] as? [[String: Any]])
    #expect(points.map { $0["batch"] as? Int } == [8, 16, 32, 64, 128, 256, 512, 1024])
    let second = try FeelBinary.run(Self.arguments)
    #expect(second.stdout == first.stdout)
  }
}
