/// Draws a device's mini-batches from its local data set without replacement within a
/// local epoch (Section II-A: "each device randomly selects B_k samples from its local
/// dataset").
///
/// The sampler holds a seeded random permutation of D_k and a cursor. A batch of b samples
/// takes the next b indices; when the permutation runs out, a fresh permutation is drawn
/// (the next local epoch) and the batch continues there. So within one local epoch every
/// sample is used at most once, and over any window of |D_k| consecutive draws that starts
/// at an epoch boundary every sample is used exactly once. A batch larger than |D_k| spans
/// several epochs.
public struct LocalSampler: Sendable {
  /// D_k, the device's training-set indices.
  public let indices: [Int]
  /// The current epoch's permutation of D_k (internal for ``RunCheckpoint``).
  var order: [Int]
  /// How much of ``order`` has been used.
  var cursor = 0
  /// The permutations' generator.
  var random: TrainingRandom
  /// Completed local epochs (permutations used up).
  public internal(set) var epochs = 0

  /// A sampler over `indices` (non-empty) seeded by `seed`.
  public init(indices: [Int], seed: UInt64) {
    self.indices = indices
    self.random = TrainingRandom(seed: seed)
    self.order = indices
    random.shuffle(&order)
  }

  /// The next `count` sample indices (count ≥ 0; empty data gives an empty batch).
  /// - Complexity: O(count), plus O(|D_k|) per new epoch.
  public mutating func next(_ count: Int) -> [Int] {
    guard !indices.isEmpty, count > 0 else { return [] }
    var out: [Int] = []
    out.reserveCapacity(count)
    while out.count < count {
      if cursor == order.count {
        order = indices
        random.shuffle(&order)
        cursor = 0
        epochs += 1
      }
      let take = Swift.min(count - out.count, order.count - cursor)
      out.append(contentsOf: order[cursor..<(cursor + take)])
      cursor += take
    }
    return out
  }

  /// One full local epoch in mini-batches of `batch` samples (the last one smaller when
  /// |D_k| is not a multiple): a fresh permutation of D_k, cut in order. The cursor of
  /// ``next(_:)`` restarts at the following epoch.
  public mutating func epoch(batch: Int) -> [[Int]] {
    order = indices
    random.shuffle(&order)
    cursor = order.count
    epochs += 1
    let b = Swift.max(1, batch)
    return stride(from: 0, to: order.count, by: b).map {
      Array(order[$0..<Swift.min($0 + b, order.count)])
    }
  }
}
