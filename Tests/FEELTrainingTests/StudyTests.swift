import FEEL
import Foundation
import Testing

@testable import FEELTraining

/// Studies: sharding and merging, the JSON round trip, and the summary's curves.
@Suite struct StudyTests {
  static func settings(_ plan: StudyPlan, _ options: TrainingOptions) -> StudySettings {
    StudySettings(
      plan: plan, options: options, targetAccuracy: 0.6, targetLoss: 0.9, data: "synthetic",
      trainCount: 240, testCount: 90, scenario: "three devices", gradientBits: 1e6,
      cyclesPerSample: 1e7, latencyFromModel: false)
  }

  @Test func shardsAreDisjointAndCoverTheStudy() throws {
    let plan = try StudyPlan(
      schemes: TrainingScheme.allCases, partitions: [.noniid, .iid], seeds: [3, 1, 2, 2])
    #expect(plan.seeds == [1, 2, 3])
    #expect(plan.partitions == [.iid, .noniid])
    let keys = plan.keys
    #expect(keys.count == 8 * 2 * 3)
    #expect(keys == keys.sorted())
    for n in [1, 2, 5, 7, 48, 60] {
      let shards = try (1...n).map { try plan.shard($0, of: n) }
      #expect(shards.flatMap { $0 }.sorted() == keys)
      #expect(Set(shards.flatMap { $0 }).count == keys.count)
    }
    #expect(throws: InfeasibleRequest.self) { _ = try plan.shard(0, of: 3) }
    #expect(throws: InfeasibleRequest.self) { _ = try StudyPlan.parseShard("4/3") }
    #expect(throws: InfeasibleRequest.self) { _ = try StudyPlan.parseShard("1-3") }
    #expect(try StudyPlan.parseShard("2/3") == (2, 3))
  }

  @Test func mergedShardOutputsEqualTheUnshardedStudy() throws {
    let options = FederatedFixtures.options(rounds: 3)
    let trainer = try FederatedFixtures.trainer(options: options)
    let plan = try StudyPlan(
      schemes: [.optimal, .randomBatch, .modelBased], partitions: [.iid, .noniid], seeds: [1, 2])
    let settings = Self.settings(plan, options)
    let whole = StudyResult(
      settings: settings, runs: try StudyRunner.run(plan.keys, trainer: trainer))
    let wholeText = whole.jsonValue(summary: StudySummary(whole)).serialized()
    var parts: [(name: String, result: StudyResult)] = []
    for i in 1...3 {
      let runs = try StudyRunner.run(try plan.shard(i, of: 3), trainer: trainer)
      let part = StudyResult(settings: settings, runs: runs, shard: "\(i)/3")
      // Through the file format: serialized, parsed back.
      let text = part.jsonValue(summary: StudySummary(part)).serialized()
      let back = try StudyResult(json: try JSONValue.parse(Data(text.utf8)), field: "part\(i)")
      #expect(back == part)
      parts.append(("part\(i)", back))
    }
    let merged = try StudyResult.merge(parts)
    #expect(merged.missing.isEmpty)
    #expect(merged == whole)
    #expect(merged.jsonValue(summary: StudySummary(merged)).serialized() == wholeText)
    // A shard twice, or shards of another study, are refused naming the file.
    #expect(throws: InfeasibleRequest.self) { _ = try StudyResult.merge(parts + [parts[0]]) }
    var other = parts[1]
    other.result.settings.targetAccuracy = 0.7
    #expect(throws: InfeasibleRequest.self) { _ = try StudyResult.merge([parts[0], other]) }
  }

  @Test func settingsRoundTripThroughJSON() throws {
    var o = TrainingOptions()
    o.stop = .timeBudget(1234.5)
    o.evaluateEvery = 3
    o.baselineSlots = .optimal
    o.fading = true
    let plan = try StudyPlan(
      schemes: [.optimal, .individualLearning], partitions: [.noniid], seeds: [9])
    let s = Self.settings(plan, o)
    let back = try StudySettings(json: s.jsonValue, field: "f")
    #expect(back == s)
    #expect(throws: InfeasibleRequest.self) {
      _ = try StudySettings(json: .object([("schemes", .array([.string("best")]))]), field: "f")
    }
  }

  static func record(_ t: Double, _ acc: Double, _ loss: Double) -> TrainingRecord {
    TrainingRecord(
      round: 0, clockSeconds: t, trainingLoss: loss, testAccuracy: acc, testLoss: loss, samples: 0)
  }

  @Test func curvesAreStepFunctionsOfTheRecords() {
    let records = [Self.record(0, 0.1, 2), Self.record(10, 0.5, 1), Self.record(25, 0.8, 0.5)]
    let times: [Double] = [0, 5, 10, 20, 25, 40]
    #expect(StudySummary.sample(records, times, \.testAccuracy) == [0.1, 0.1, 0.5, 0.5, 0.8, 0.8])
    #expect(StudySummary.sample(records, times, \.trainingLoss) == [2, 2, 1, 1, 0.5, 0.5])
  }

  @Test func crossingInterpolatesAndSmoothingAverages() {
    let t: [Double] = [0, 1, 2, 3]
    #expect(StudySummary.crossing(t, [0.1, 0.3, 0.7, 0.9], 0.5, up: true) == 1.5)
    #expect(StudySummary.crossing(t, [0.1, 0.3, 0.4, 0.45], 0.5, up: true) == nil)
    #expect(StudySummary.crossing(t, [2, 1.5, 1, 0.5], 1.25, up: false) == 1.5)
    #expect(StudySummary.crossing(t, [0.6, 0.7, 0.8, 0.9], 0.5, up: true) == 0)
    let y = (0..<20).map { Double($0) }
    let s = StudySummary.smooth(y)
    #expect(s[10] == 10)
    #expect(s[0] == 2.5)  // mean of 0 … 5
    #expect(s[19] == 16.5)  // mean of 14 … 19
  }

  @Test func speedupsAreRatiosOfTimesToTarget() throws {
    // Two schemes with hand-made logs: individual reaches 0.6 at t = 100, optimal at 25.
    let plan = try StudyPlan(
      schemes: [.optimal, .gradientBased, .individualLearning], partitions: [.iid], seeds: [1])
    var o = TrainingOptions()
    o.stop = .timeBudget(200)
    func run(_ s: TrainingScheme, _ records: [TrainingRecord]) -> TrainingRun {
      TrainingRun(
        key: RunKey(scheme: s, partition: .iid, seed: 1), records: records, rounds: 1,
        clockSeconds: 200, firstGlobalBatch: 1, firstRoundSeconds: 1, diverged: false)
    }
    // Flat curves with a single step are not changed by the smoothing where they are flat:
    // accuracy 0 before the step and 1 after it.
    let result = StudyResult(
      settings: Self.settings(plan, o),
      runs: [
        run(.optimal, [Self.record(0, 0, 2), Self.record(25, 1, 0)]),
        run(.gradientBased, [Self.record(0, 0, 2)]),
        run(.individualLearning, [Self.record(0, 0, 2), Self.record(100, 1, 0)]),
      ])
    let summary = StudySummary(result)
    let optimal = try #require(summary.rows.first { $0.scheme == .optimal })
    let a = try #require(optimal.timeToAccuracy)
    let b = try #require(summary.rows.first { $0.scheme == .individualLearning }?.timeToAccuracy)
    #expect(abs((b - a) - 75) < 1e-9)  // both shifted alike by the moving average
    #expect(abs(optimal.speedup!.value - b / a) < 1e-12)
    #expect(optimal.speedup!.atLeast == false)
    // Gradient-based never reaches the target: a lower bound H/T only.
    #expect(optimal.overGradientBased!.atLeast)
    #expect(abs(optimal.overGradientBased!.value - 200 / a) < 1e-12)
    #expect(summary.rows.first { $0.scheme == .gradientBased }!.speedup == nil)
    #expect(summary.tableII.contains("optimal (proposed)"))
  }
}
