import FEEL
import Foundation

/// The runs of a study (or of one shard) with the settings they were run with.
///
/// JSON (`feel train --json`, `--output`): `{"settings": {...}, "shard": "i/n" | null,
/// "runs": [...], "summary": [...]}` where every run is `{"scheme", "partition", "seed",
/// "rounds", "clockSeconds", "globalBatch", "roundSeconds", "diverged", "records": [{"round",
/// "clockSeconds", "trainingLoss", "testAccuracy", "testLoss", "samples"}, ...]}`. Numbers
/// are written in their shortest round-trip form, so reading a file back gives the same
/// doubles, and a merge of shard files recomputes exactly the summary of the unsharded study.
public struct StudyResult: Sendable, Equatable {
  /// The settings.
  public var settings: StudySettings
  /// The runs, in canonical ``RunKey`` order.
  public var runs: [TrainingRun]
  /// `i/n` when this is one shard's output.
  public var shard: String?

  /// A result; the runs are put in canonical order.
  public init(settings: StudySettings, runs: [TrainingRun], shard: String? = nil) {
    self.settings = settings
    self.runs = runs.sorted { $0.key < $1.key }
    self.shard = shard
  }

  /// The keys of the plan that have no run here.
  public var missing: [RunKey] {
    let have = Set(runs.map(\.key))
    return settings.plan.keys.filter { !have.contains($0) }
  }

  /// The whole output, with the summary of these runs.
  package func jsonValue(summary: StudySummary) -> JSONValue {
    .object([
      ("settings", settings.jsonValue),
      ("shard", shard.map { .string($0) } ?? .null),
      ("runs", .array(runs.map(Self.json))),
      ("summary", summary.jsonValue),
    ])
  }

  static func json(_ run: TrainingRun) -> JSONValue {
    .object([
      ("scheme", .string(run.key.scheme.rawValue)),
      ("partition", .string(run.key.partition.rawValue)),
      ("seed", .number(Double(run.key.seed))),
      ("rounds", .number(Double(run.rounds))),
      ("clockSeconds", .number(run.clockSeconds)),
      ("globalBatch", .number(Double(run.firstGlobalBatch))),
      ("roundSeconds", .number(run.firstRoundSeconds)),
      ("diverged", .bool(run.diverged)),
      (
        "records",
        .array(
          run.records.map { r in
            .object([
              ("round", .number(Double(r.round))),
              ("clockSeconds", .number(r.clockSeconds)),
              ("trainingLoss", .number(r.trainingLoss)),
              ("testAccuracy", .number(r.testAccuracy)),
              ("testLoss", .number(r.testLoss)),
              ("samples", .number(Double(r.samples))),
            ])
          })
      ),
    ])
  }

  /// Reads an output of `feel train --json` / `--output` (its summary is ignored and
  /// recomputed).
  ///
  /// - Parameter field: the name to report errors under (the file's path).
  /// - Throws: ``InfeasibleRequest`` naming `field` and the key that is wrong.
  package init(json v: JSONValue, field: String) throws {
    let top = JSONReader(v, field: field, path: "$")
    settings = try StudySettings(json: try top.value("settings"), field: field)
    switch try top.value("shard") {
    case .null: shard = nil
    case .string(let s): shard = s
    default: throw top.error("shard", "expected a string or null")
    }
    var runs: [TrainingRun] = []
    for (i, item) in try top.array("runs").enumerated() {
      let r = JSONReader(item, field: field, path: "runs[\(i)]")
      let scheme = try TrainingScheme.named(
        try r.string(try r.value("scheme"), "scheme"), field: field)
      let pName = try r.string(try r.value("partition"), "partition")
      guard let partition = PartitionKind(rawValue: pName) else {
        throw r.error("partition", "unknown partition '\(pName)'")
      }
      let seed = try r.seed(try r.value("seed"), "seed")
      var records: [TrainingRecord] = []
      for (j, rec) in try r.array("records").enumerated() {
        let q = JSONReader(rec, field: field, path: "runs[\(i)].records[\(j)]")
        records.append(
          TrainingRecord(
            round: try q.integer(try q.number("round"), "round"),
            clockSeconds: try q.number("clockSeconds"),
            trainingLoss: try q.numberOrNaN("trainingLoss"),
            testAccuracy: try q.numberOrNaN("testAccuracy"),
            testLoss: try q.numberOrNaN("testLoss"),
            samples: try q.integer(try q.number("samples"), "samples")))
      }
      runs.append(
        TrainingRun(
          key: RunKey(scheme: scheme, partition: partition, seed: seed), records: records,
          rounds: try r.integer(try r.number("rounds"), "rounds"),
          clockSeconds: try r.number("clockSeconds"),
          firstGlobalBatch: try r.integer(try r.number("globalBatch"), "globalBatch"),
          firstRoundSeconds: try r.numberOrNaN("roundSeconds"),
          diverged: try r.bool("diverged")))
    }
    self.runs = runs.sorted { $0.key < $1.key }
  }

  /// Reads a file written by `feel train --output` or `--json`.
  /// - Throws: ``InfeasibleRequest`` naming the path.
  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw InfeasibleRequest(field: url.path, reason: "cannot be read")
    }
    let value: JSONValue
    do { value = try JSONValue.parse(data) } catch let e as ScenarioError {
      throw InfeasibleRequest(field: url.path, reason: "not valid JSON (\(e.reason))")
    }
    try self.init(json: value, field: url.path)
  }

  /// The union of several results (shards of one study).
  ///
  /// - Throws: ``InfeasibleRequest`` naming the first file whose settings differ from the
  ///   first's, or a run that appears twice.
  public static func merge(_ parts: [(name: String, result: StudyResult)]) throws -> StudyResult {
    guard let first = parts.first else {
      throw InfeasibleRequest(field: "merge", reason: "needs at least one file")
    }
    var seen: [RunKey: String] = [:]
    var runs: [TrainingRun] = []
    for (name, part) in parts {
      guard part.settings == first.result.settings else {
        throw InfeasibleRequest(
          field: name, reason: "was run with other settings than \(first.name); cannot merge")
      }
      for run in part.runs {
        if let other = seen[run.key] {
          throw InfeasibleRequest(
            field: name,
            reason: "run \(run.key.scheme.rawValue)/\(run.key.partition.rawValue)/seed "
              + "\(run.key.seed) is also in \(other)")
        }
        seen[run.key] = name
        runs.append(run)
      }
    }
    return StudyResult(settings: first.result.settings, runs: runs, shard: nil)
  }
}
