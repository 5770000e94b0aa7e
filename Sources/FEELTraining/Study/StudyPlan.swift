import FEEL

/// A study: schemes × partitions × seeds, each cell one independent ``TrainingRun``.
///
/// The runs are listed in the canonical order of ``RunKey`` (partition, scheme, seed).
/// Shard i of n (1 ≤ i ≤ n) is every n-th run starting from the i-th, so the n shards are
/// disjoint, cover the study and need no coordination: a cluster's array job runs
/// `feel train … --shard $i/$n --output part-$i.json` and `feel train --merge part-*.json`
/// combines them (the runs are deterministic, so the merged study equals the unsharded one).
public struct StudyPlan: Sendable, Equatable {
  /// The schemes, in ``TrainingScheme/allCases`` order.
  public let schemes: [TrainingScheme]
  /// The partitions, IID first.
  public let partitions: [PartitionKind]
  /// The seeds, ascending.
  public let seeds: [UInt64]

  /// A plan; duplicates are removed and the lists put in canonical order.
  ///
  /// - Throws: ``InfeasibleRequest`` when a list is empty.
  public init(schemes: [TrainingScheme], partitions: [PartitionKind], seeds: [UInt64]) throws {
    guard !schemes.isEmpty else {
      throw InfeasibleRequest(field: "scheme", reason: "the study has no scheme")
    }
    guard !partitions.isEmpty else {
      throw InfeasibleRequest(field: "partition", reason: "the study has no partition")
    }
    guard !seeds.isEmpty else {
      throw InfeasibleRequest(field: "seeds", reason: "the study has no seed")
    }
    self.schemes = TrainingScheme.allCases.filter(schemes.contains)
    self.partitions = PartitionKind.allCases.filter(partitions.contains)
    self.seeds = Array(Set(seeds)).sorted()
  }

  /// Every run, in canonical order.
  public var keys: [RunKey] {
    var out: [RunKey] = []
    for p in partitions {
      for s in schemes {
        for seed in seeds { out.append(RunKey(scheme: s, partition: p, seed: seed)) }
      }
    }
    return out
  }

  /// The runs of shard `index` of `count` (1-based): keys[j] with j mod count = index − 1.
  ///
  /// - Throws: ``InfeasibleRequest`` (field `shard`) unless 1 ≤ index ≤ count.
  public func shard(_ index: Int, of count: Int) throws -> [RunKey] {
    guard count >= 1, (1...count).contains(index) else {
      throw InfeasibleRequest(
        field: "shard", reason: "must be i/n with 1 <= i <= n (got \(index)/\(count))")
    }
    return keys.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
  }

  /// Parses `i/n`.
  /// - Throws: ``InfeasibleRequest`` (field `shard`).
  public static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1,
      (1...n).contains(i)
    else {
      throw InfeasibleRequest(
        field: "shard", reason: "must be i/n with integers 1 <= i <= n (got '\(text)')")
    }
    return (i, n)
  }
}
