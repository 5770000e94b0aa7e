import Testing

@testable import FEELTraining

/// The probe on a small synthetic set: reproducible for a fixed seed, shaped as asked, and
/// its settings validated naming the option.
@Suite struct LossProbeTests {
  /// 600 images of 4×4 pixels whose class (of 3) is the brightest of three pixel groups.
  static let data: LabeledImages = {
    var random = TrainingRandom(seed: 0x1DA7A)
    var pixels: [Float] = []
    var labels: [UInt8] = []
    for i in 0..<600 {
      let label = i % 3
      for f in 0..<16 {
        let bright: Double = f % 3 == label ? 0.7 : 0.3
        pixels.append(Float(min(1, max(0, bright + 0.3 * (random.unit() - 0.5)))))
      }
      labels.append(UInt8(label))
    }
    return try! LabeledImages(rows: 4, columns: 4, classCount: 3, pixels: pixels, labels: labels)
  }()

  static var options: LossProbeOptions {
    var o = LossProbeOptions()
    o.hidden = 6
    o.baseBatch = 16
    o.baseLearningRate = 0.1
    o.checkpoints = [3, 10]
    o.referenceRuns = 1
    o.batches = [4, 8, 16, 32, 64]
    o.repeats = 3
    o.evaluationSize = 128
    o.bootstrap = 20
    o.roundsBatches = [4, 16, 64]
    o.roundsSeeds = 2
    o.maxRounds = 400
    o.seed = 7
    return o
  }

  @Test func sameSeedSameResultOtherSeedOtherResult() throws {
    let a = try LossProbe.run(on: Self.data, options: Self.options)
    let b = try LossProbe.run(on: Self.data, options: Self.options)
    #expect(a == b)
    #expect(a.json() == b.json())
    var other = Self.options
    other.seed = 8
    let c = try LossProbe.run(on: Self.data, options: other)
    #expect(c.decreases != a.decreases)
  }

  @Test func resultHasTheShapeOfTheProtocol() throws {
    let r = try LossProbe.run(on: Self.data, options: Self.options)
    #expect(r.checkpoints.map(\.step) == [3, 10])
    #expect(r.decreases.count == 2)
    #expect(r.decreases.allSatisfy { $0.count == 5 && $0.allSatisfy { $0.count == 3 } })
    for b in 0..<5 {
      var sum = 0.0
      for rep in 0..<3 { sum += (r.decreases[0][b][rep] + r.decreases[1][b][rep]) / 2 }
      #expect(abs(r.means[b] - sum / 3) < 1e-12)
    }
    let rounds = try #require(r.rounds)
    #expect(rounds.batches == [4, 16, 64])
    #expect(rounds.runs.allSatisfy { $0.count == 2 })
    #expect(rounds.targetLoss == r.checkpoints.last!.loss)
    // Every run that reached the target did so within the cap.
    for row in rounds.runs { for s in row.compactMap({ $0 }) { #expect(s >= 0 && s <= 400) } }
    let svgs = r.figures()
    #expect(svgs.first?.name == "loss-decay.svg")
    #expect(svgs.allSatisfy { $0.svg.hasPrefix("<svg") || $0.svg.hasPrefix("<?xml") })
  }

  /// With two reference runs every checkpoint of each is probed and pooled, run 0 is the
  /// single-run probe, and the default target is the runs' mean final loss.
  @Test func referenceRunsArePooled() throws {
    var o = Self.options
    o.referenceRuns = 2
    let two = try LossProbe.run(on: Self.data, options: o)
    let one = try LossProbe.run(on: Self.data, options: Self.options)
    #expect(two.checkpoints.map(\.run) == [0, 0, 1, 1])
    #expect(two.checkpoints.map(\.step) == [3, 10, 3, 10])
    #expect(two.decreases.count == 4)
    #expect(Array(two.checkpoints.prefix(2)) == one.checkpoints)
    #expect(Array(two.decreases.prefix(2)) == one.decreases)
    #expect(two.checkpoints[1].loss != two.checkpoints[3].loss)
    let target = (two.checkpoints[1].loss + two.checkpoints[3].loss) / 2
    #expect(two.rounds?.targetLoss == target)
    for b in 0..<5 {
      let pooled = (0..<3).map { r in (0..<4).reduce(0.0) { $0 + two.decreases[$1][b][r] } / 4 }
      #expect(abs(two.means[b] - pooled.reduce(0, +) / 3) < 1e-12)
    }
  }

  @Test func settingsAreValidatedNamingTheOption() {
    let cases: [(WritableKeyPath<LossProbeOptions, Int>, Int, String)] = [
      (\.hidden, 0, "hidden"), (\.baseBatch, 0, "baseBatch"), (\.repeats, 0, "repeats"),
      (\.evaluationSize, 0, "evaluationSize"), (\.bootstrap, -1, "bootstrap"),
      (\.roundsSeeds, 0, "roundsSeeds"), (\.maxRounds, 0, "maxRounds"),
      (\.referenceRuns, 0, "referenceRuns"),
    ]
    for (path, value, option) in cases {
      var o = Self.options
      o[keyPath: path] = value
      #expect(throws: LossProbeError.self) { try o.validate() }
      do { try o.validate() } catch { #expect(error.description.hasPrefix(option)) }
    }
    var o = Self.options
    o.batches = [8, 8, 16]
    #expect(
      throws: LossProbeError.invalidOption(
        "batches", "needs at least three distinct integers >= 1 (got [8, 8, 16])")
    ) {
      try o.validate()
    }
    o = Self.options
    o.baseLearningRate = .nan
    #expect(throws: LossProbeError.self) { try o.validate() }
    o = Self.options
    o.batches = [8, 16, 1000]
    #expect(throws: LossProbeError.self) { try LossProbe.run(on: Self.data, options: o) }
  }
}
