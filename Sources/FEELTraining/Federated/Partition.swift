import FEEL

/// How the training set is spread over the K devices (Section VI-A, after McMahan et al.).
public enum PartitionKind: String, Sendable, Equatable, CaseIterable {
  /// Shuffle all samples, then cut them into K equal parts, one per device.
  case iid
  /// Sort by label, cut into 2K equal shards, give every device two shards.
  case noniid
}

/// The local data sets D_1, …, D_K: disjoint index sets into the training set whose
/// union is every sample.
///
/// - **IID**: a seeded Fisher–Yates shuffle of 0 ..< n, cut into K consecutive parts whose
///   sizes differ by at most one (the first n mod K parts hold one more sample).
/// - **non-IID** (the paper's "pathological" partition): the samples are sorted by label
///   (samples of one label in a seeded random order), the sorted list is cut into 2K
///   consecutive shards whose sizes differ by at most one, and device k (in a seeded random
///   order of the devices) receives shards k and K + k. When every label's count is a
///   multiple of the shard size no shard straddles two labels, and then every device holds
///   exactly two labels (shards k and K + k lie half the sorted list apart, so they carry
///   different labels whenever there are at least two). Otherwise a shard that straddles a
///   label boundary gives its device a third (or fourth) label: for Fashion-MNIST with
///   K = 12 (24 shards of 2,500 samples, 6,000 samples per label) eight devices hold two
///   labels and four hold four — the paper's "most devices obtain … only two types".
public struct DataPartition: Sendable, Equatable {
  /// Which rule built the partition.
  public let kind: PartitionKind
  /// D_k: the training-set indices of device k, in the order they were assigned.
  public let devices: [[Int]]

  /// Creates a partition from explicit index sets (no checks; for tests and callers that
  /// bring their own split).
  public init(kind: PartitionKind, devices: [[Int]]) {
    self.kind = kind
    self.devices = devices
  }

  /// Partitions `labels.count` samples over `deviceCount` devices.
  ///
  /// - Parameters:
  ///   - kind: IID or non-IID.
  ///   - labels: the label of every training sample.
  ///   - deviceCount: K ≥ 1.
  ///   - seed: the seed of the shuffles.
  /// - Throws: ``InfeasibleRequest`` (field `devices`) when K < 1 or there are fewer than 2K
  ///   samples (a device would get an empty shard).
  /// - Complexity: O(n log n) (the sort by label), O(n) memory.
  public init(_ kind: PartitionKind, labels: [UInt8], deviceCount K: Int, seed: UInt64) throws {
    let n = labels.count
    guard K >= 1 else {
      throw InfeasibleRequest(field: "devices", reason: "need at least one device (got \(K))")
    }
    guard n >= 2 * K else {
      throw InfeasibleRequest(
        field: "devices",
        reason: "\(n) training samples cannot fill 2K = \(2 * K) non-empty shards")
    }
    var random = TrainingRandom(seed: seed)
    self.kind = kind
    switch kind {
    case .iid:
      var order = Array(0..<n)
      random.shuffle(&order)
      devices = Self.cut(order, parts: K)
    case .noniid:
      var order = Array(0..<n)
      random.shuffle(&order)
      // Stable counting sort by label keeps the shuffled order within a label.
      var buckets = [[Int]](repeating: [], count: 256)
      for i in order { buckets[Int(labels[i])].append(i) }
      let sorted = buckets.flatMap { $0 }
      let shards = Self.cut(sorted, parts: 2 * K)
      var owners = Array(0..<K)
      random.shuffle(&owners)
      var parts = [[Int]](repeating: [], count: K)
      for k in 0..<K { parts[owners[k]] = shards[k] + shards[K + k] }
      devices = parts
    }
  }

  /// `items` cut into `parts` consecutive runs, sizes differing by at most one.
  static func cut(_ items: [Int], parts: Int) -> [[Int]] {
    let n = items.count
    let base = n / parts
    let extra = n % parts
    var out: [[Int]] = []
    out.reserveCapacity(parts)
    var start = 0
    for p in 0..<parts {
      let size = base + (p < extra ? 1 : 0)
      out.append(Array(items[start..<(start + size)]))
      start += size
    }
    return out
  }

  /// K, the number of devices.
  public var deviceCount: Int { devices.count }

  /// |D_k| for every device.
  public var sizes: [Int] { devices.map(\.count) }

  /// The distinct labels of every device, ascending.
  public func labelSets(_ labels: [UInt8]) -> [[UInt8]] {
    devices.map { Array(Set($0.map { labels[$0] })).sorted() }
  }
}
