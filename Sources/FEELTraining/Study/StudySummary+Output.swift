import FEEL
import FEELStudies
import Foundation

extension StudySummary {
  /// One object per scheme and partition: `scheme`, `partition`, `seeds`, `diverged`,
  /// `roundSeconds`, `globalBatch`, `rounds`, `horizonSeconds`, `testAccuracy` and
  /// `trainingLoss` at the horizon (`{"mean", "std", "min", "max"}`), `targetAccuracy`,
  /// `timeToTargetAccuracySeconds`, `timeToTargetAccuracyPerSeed` (statistics and
  /// `reached`), `targetLoss`, `timeToTargetLossSeconds`, `timeToTargetLossPerSeed`,
  /// `speedup` (over individual learning), `speedupOverGradientBased`,
  /// `speedupOverModelBased` (each null when unknown, with an `…AtLeast` flag when only a
  /// lower bound is known).
  package var jsonValue: JSONValue {
    .array(
      rows.map { r in
        func opt(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        func seedStats(_ s: SampleStatistics, _ n: Int) -> JSONValue {
          guard case .object(var pairs) = s.jsonValue else { return .null }
          pairs.append(("reached", .number(Double(n))))
          return .object(pairs)
        }
        func ratio(_ name: String, _ q: Ratio?) -> [(String, JSONValue)] {
          [(name, opt(q?.value)), (name + "AtLeast", .bool(q?.atLeast ?? false))]
        }
        return .object(
          [
            ("scheme", .string(r.scheme.rawValue)),
            ("partition", .string(r.partition.rawValue)),
            ("seeds", .number(Double(r.seeds))),
            ("diverged", .number(Double(r.diverged))),
            ("roundSeconds", .number(r.roundSeconds)),
            ("globalBatch", .number(r.globalBatch)),
            ("rounds", .number(r.rounds)),
            ("horizonSeconds", opt(horizons[r.partition])),
            ("testAccuracy", r.accuracy.jsonValue),
            ("trainingLoss", r.loss.jsonValue),
            ("targetAccuracy", .number(targetAccuracy)),
            ("timeToTargetAccuracySeconds", opt(r.timeToAccuracy)),
            (
              "timeToTargetAccuracyPerSeed",
              seedStats(r.seedTimesToAccuracy, r.seedsReachingAccuracy)
            ),
            ("targetLoss", .number(targetLoss)),
            ("timeToTargetLossSeconds", opt(r.timeToLoss)),
            ("timeToTargetLossPerSeed", seedStats(r.seedTimesToLoss, r.seedsReachingLoss)),
          ] + ratio("speedup", r.speedup) + ratio("speedupOverGradientBased", r.overGradientBased)
            + ratio("speedupOverModelBased", r.overModelBased))
      })
  }

  static func percent(_ s: SampleStatistics) -> String {
    guard s.mean.isFinite else { return "—" }
    return String(format: "%.2f ± %.2f %%", 100 * s.mean, 100 * s.standardDeviation)
  }

  static func seconds(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "not reached" }
    return String(format: "%.0f s", x)
  }

  static func ratioText(_ q: Ratio?) -> String {
    guard let q, q.value.isFinite else { return "—" }
    return (q.atLeast ? "≥ " : "") + String(format: "%.2f×", q.value)
  }

  static func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
    let n = s.count
    guard n < w else { return s }
    let fill = String(repeating: " ", count: w - n)
    return left ? s + fill : fill + s
  }

  /// Table II's shape: one line per scheme, test accuracy at the horizon (mean ± std over
  /// seeds) and the training speedup over individual learning, for IID and non-IID.
  public var tableII: String {
    let partitions = PartitionKind.allCases.filter { p in rows.contains { $0.partition == p } }
    var schemes: [TrainingScheme] = []
    for r in rows where !schemes.contains(r.scheme) { schemes.append(r.scheme) }
    var head = Self.pad("scheme", 22, left: true)
    for p in partitions {
      let name = p == .iid ? "IID" : "non-IID"
      head += Self.pad(name + " accuracy", 20) + Self.pad(name + " speedup", 18)
    }
    var lines = [head]
    for s in schemes {
      var line = Self.pad(s.title, 22, left: true)
      for p in partitions {
        let r = rows.first { $0.scheme == s && $0.partition == p }
        line += Self.pad(r.map { Self.percent($0.accuracy) } ?? "—", 20)
        line += Self.pad(Self.ratioText(r?.speedup), 18)
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }

  /// Every number of the summary, one line per scheme and partition.
  public var detailTable: String {
    var lines: [String] = []
    let head = [
      Self.pad("partition", 9, left: true), Self.pad("scheme", 20, left: true),
      Self.pad("B", 6), Self.pad("T s", 9), Self.pad("rounds", 8), Self.pad("accuracy", 18),
      Self.pad("loss", 8), Self.pad("t→acc", 12), Self.pad("seeds", 6), Self.pad("t→loss", 12),
      Self.pad("speedup", 9), Self.pad("×grad", 9), Self.pad("×model", 9),
    ]
    lines.append(head.joined(separator: " "))
    for r in rows {
      let cells = [
        Self.pad(r.partition.rawValue, 9, left: true), Self.pad(r.scheme.rawValue, 20, left: true),
        Self.pad(String(format: "%.0f", r.globalBatch), 6),
        Self.pad(String(format: "%.2f", r.roundSeconds), 9),
        Self.pad(String(format: "%.1f", r.rounds), 8), Self.pad(Self.percent(r.accuracy), 18),
        Self.pad(String(format: "%.4f", r.loss.mean), 8),
        Self.pad(Self.seconds(r.timeToAccuracy), 12),
        Self.pad("\(r.seedsReachingAccuracy)/\(r.seeds)", 6),
        Self.pad(Self.seconds(r.timeToLoss), 12), Self.pad(Self.ratioText(r.speedup), 9),
        Self.pad(Self.ratioText(r.overGradientBased), 9),
        Self.pad(Self.ratioText(r.overModelBased), 9),
      ]
      lines.append(cells.joined(separator: " "))
    }
    return lines.joined(separator: "\n")
  }
}

extension StudyResult {
  /// The per-record log as CSV: `partition,scheme,seed,round,clockSeconds,trainingLoss,
  /// testAccuracy,testLoss,samples`, one line per record, runs in canonical order.
  public var csv: String {
    var out =
      "partition,scheme,seed,round,clockSeconds,trainingLoss,testAccuracy,testLoss,samples\n"
    func num(_ x: Double) -> String { x.isFinite ? "\(x)" : "nan" }
    for run in runs {
      let prefix = "\(run.key.partition.rawValue),\(run.key.scheme.rawValue),\(run.key.seed),"
      for r in run.records {
        out +=
          prefix + "\(r.round),\(num(r.clockSeconds)),\(num(r.trainingLoss)),"
          + "\(num(r.testAccuracy)),\(num(r.testLoss)),\(r.samples)\n"
      }
    }
    return out
  }
}
